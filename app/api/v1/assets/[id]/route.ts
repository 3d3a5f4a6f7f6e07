import { parseAssetId } from "@/lib/assets/asset-fields";
import { findAdminAsset } from "@/lib/assets/find-admin-assets";
import { updateAsset, ZUpdateAsset } from "@/lib/assets/update-asset";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER" }, async ({ params, caller }) => ({ data: await findAdminAsset(parseAssetId(params.id), siteScopeOf(caller)) }));

export const PATCH = route({ access: "ADMIN", body: ZUpdateAsset, maxBodyBytes: 10_000 }, async ({ caller, body, params }) => ({
  data: await updateAsset(parseAssetId(params.id), body, caller),
}));
