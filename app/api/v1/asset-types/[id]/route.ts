import { parseTypeId } from "@/lib/asset-types/asset-type-fields";
import { getAssetType } from "@/lib/asset-types/find-asset-types";
import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER" }, async ({ params }) => ({ data: await getAssetType(parseTypeId(params.id)) }));
