import { parseAssetId } from "@/lib/assets/asset-fields";
import { moveAsset, ZMoveAsset } from "@/lib/assets/move-asset";
import { route } from "@/lib/http/route";

export const POST = route({ access: "ADMIN", body: ZMoveAsset, maxBodyBytes: 1_000 }, async ({ caller, body, params }) => ({
  data: await moveAsset(parseAssetId(params.id), body, caller),
}));
