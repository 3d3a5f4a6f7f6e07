import { findAssetTree } from "@/lib/assets/find-asset-tree";
import { route } from "@/lib/http/route";

export const GET = route({ access: "VIEWER" }, async () => ({ data: await findAssetTree() }));
