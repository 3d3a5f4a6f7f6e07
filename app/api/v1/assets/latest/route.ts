import { findLatestValues, ZLatestValuesQuery } from "@/lib/assets/find-latest-values";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ access: "VIEWER", query: ZLatestValuesQuery }, async ({ query, caller }) => ({ data: await findLatestValues(query, siteScopeOf(caller)) }));
