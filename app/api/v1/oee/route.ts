import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { getOee, ZOeeQuery } from "@/lib/oee/get-oee";

export const GET = route({ access: "VIEWER", query: ZOeeQuery }, async ({ query, caller }) => ({ data: await getOee(query, siteScopeOf(caller)) }));
