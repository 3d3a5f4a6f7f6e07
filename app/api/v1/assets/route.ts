import { NextResponse } from "next/server";
import { createAsset, ZCreateAsset } from "@/lib/assets/create-asset";
import { findAdminAssetTree, ZAssetTreeQuery } from "@/lib/assets/find-admin-assets";
import { findAssetTree } from "@/lib/assets/find-asset-tree";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER", query: ZAssetTreeQuery }, async ({ query, caller }) => ({
  data: query.retired === "include" ? await findAdminAssetTree(siteScopeOf(caller)) : await findAssetTree(siteScopeOf(caller)),
}));

export const POST = route({ access: "ADMIN", body: ZCreateAsset, maxBodyBytes: 10_000 }, async ({ caller, body }) =>
  NextResponse.json({ data: await createAsset(body, caller) }, { status: 201 }));
