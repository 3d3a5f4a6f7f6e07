import { parseAssetId } from "@/lib/assets/asset-fields";
import { restoreAsset, ZRestoreAsset } from "@/lib/assets/retire-asset";
import { route } from "@/lib/http/route";

export const POST = route({ access: "ADMIN", body: ZRestoreAsset, maxBodyBytes: 1_000 }, async ({ caller, body, params }) => ({
  data: await restoreAsset(parseAssetId(params.id), body, caller),
}));
