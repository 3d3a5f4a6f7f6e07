import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { findPlannedShifts, ZPlannedShiftsQuery } from "@/lib/shifts/find-planned-shifts";

export const GET = route({ access: "VIEWER", query: ZPlannedShiftsQuery }, async ({ params, query, caller }) => ({ data: await findPlannedShifts(params.siteId, query, siteScopeOf(caller)) }));
