import { NextResponse } from "next/server";
import { ZCreateAssetType } from "@/lib/asset-types/asset-type-fields";
import { createAssetType } from "@/lib/asset-types/create-asset-type";
import { findAssetTypes } from "@/lib/asset-types/find-asset-types";
import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER" }, async () => ({ data: await findAssetTypes() }));

export const POST = route({ access: "ADMIN", body: ZCreateAssetType, maxBodyBytes: 500_000 }, async ({ caller, body }) =>
  NextResponse.json({ data: await createAssetType(body, caller) }, { status: 201 }));
