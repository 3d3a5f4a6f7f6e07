import { parseTypeId, parseVersionNumber, ZMoveAssets } from "@/lib/asset-types/asset-type-fields";
import { moveAssetsToVersion } from "@/lib/asset-types/move-assets-to-version";
import { route } from "@/lib/http/route";

export const POST = route({ access: "ADMIN", body: ZMoveAssets, maxBodyBytes: 100_000 }, async ({ caller, body, params }) => ({
  data: await moveAssetsToVersion(parseTypeId(params.id), parseVersionNumber(params.version), body, caller),
}));
