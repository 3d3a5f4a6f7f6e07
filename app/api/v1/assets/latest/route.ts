import { findLatestValues, ZLatestValuesQuery } from "@/lib/assets/find-latest-values";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ access: "VIEWER", query: ZLatestValuesQuery }, async ({ query }) => ({ data: await findLatestValues(query) }));
