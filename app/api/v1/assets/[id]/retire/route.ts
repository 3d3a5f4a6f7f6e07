import { parseAssetId } from "@/lib/assets/asset-fields";
import { retireAsset, ZRetireAsset } from "@/lib/assets/retire-asset";
import { route } from "@/lib/http/route";

export const POST = route({ access: "ADMIN", body: ZRetireAsset, maxBodyBytes: 1_000 }, async ({ caller, body, params }) => ({
  data: await retireAsset(parseAssetId(params.id), body, caller),
}));
