import { NextResponse } from "next/server";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { ZShiftPattern } from "@/lib/shifts/calendar-schema";
import { findShiftCalendar, saveShiftPattern } from "@/lib/shifts/shift-calendars";

export const GET = route({ access: "VIEWER" }, async ({ params, caller }) => ({ data: await findShiftCalendar(params.siteId, siteScopeOf(caller)) }));

/** The weekly pattern in force from body.validFrom on: 201 for a new version, 200 when that day's version is replaced. */
export const PUT = route({ access: "ADMIN", body: ZShiftPattern, maxBodyBytes: 50_000 }, async ({ params, body, caller }) => {
  const { created, pattern } = await saveShiftPattern(params.siteId, body, caller);
  return NextResponse.json({ data: pattern }, { status: created ? 201 : 200 });
});
