import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { deleteShiftException, parseDateParam } from "@/lib/shifts/shift-calendars";

export const DELETE = route({ access: "ADMIN" }, async ({ params, caller }) => {
  await deleteShiftException(params.siteId, parseDateParam(params.date, "exception"), caller);
  return new NextResponse(null, { status: 204 });
});
