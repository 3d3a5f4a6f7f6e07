import { route } from "@/lib/http/route";
import { parseReasonCodeParam, removeReasonCode, ZReasonCodeScope } from "@/lib/oee/save-reason-code";

/** Removes the plant-wide row of a code (`?site=` for a site's row); the code reverts to the layer beneath. */
export const DELETE = route({ access: "ADMIN", query: ZReasonCodeScope }, async ({ caller, query, params }) => ({
  data: await removeReasonCode(parseReasonCodeParam(params.code), query, caller),
}));
