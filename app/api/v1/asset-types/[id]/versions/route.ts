import { NextResponse } from "next/server";
import { parseTypeId, ZCreateTypeVersion } from "@/lib/asset-types/asset-type-fields";
import { createTypeVersion } from "@/lib/asset-types/create-type-version";
import { route } from "@/lib/http/route";

export const POST = route({ access: "ADMIN", body: ZCreateTypeVersion, maxBodyBytes: 500_000 }, async ({ caller, body, params }) =>
  NextResponse.json({ data: await createTypeVersion(parseTypeId(params.id), body, caller) }, { status: 201 }));
