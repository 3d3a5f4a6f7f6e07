import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { classifyStop, ZClassifyStop } from "@/lib/oee/classify-stop";
import { findStops, stopsToCsv, ZStopsQuery } from "@/lib/oee/find-stops";

export const GET = route({ access: "VIEWER", query: ZStopsQuery }, async ({ query, caller }) => {
  const { stops, truncated } = await findStops(query, siteScopeOf(caller));
  if (query.format === "json") return { data: stops, meta: { truncated } };
  return new Response(stopsToCsv(stops), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="stops.csv"',
      "x-truncated": String(truncated),
    },
  });
});

export const PATCH = route({ access: "SUPERVISOR", body: ZClassifyStop }, async ({ body, caller }) => ({ data: await classifyStop(body, caller) }));
