import { route } from "@/lib/http/route";
import { getOee, ZOeeQuery } from "@/lib/oee/get-oee";

export const GET = route({ access: "VIEWER", query: ZOeeQuery }, async ({ query }) => ({ data: await getOee(query) }));
