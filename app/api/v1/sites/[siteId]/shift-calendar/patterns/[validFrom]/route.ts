import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { deleteShiftPattern, parseDateParam } from "@/lib/shifts/shift-calendars";

export const DELETE = route({ access: "ADMIN" }, async ({ params, caller }) => {
  await deleteShiftPattern(params.siteId, parseDateParam(params.validFrom, "shift pattern starting"), caller);
  return new NextResponse(null, { status: 204 });
});
