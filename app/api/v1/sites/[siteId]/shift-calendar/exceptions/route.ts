import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { ZShiftException } from "@/lib/shifts/calendar-schema";
import { saveShiftException } from "@/lib/shifts/shift-calendars";

/** A holiday, a changed day or overtime on body.date: 201 when new, 200 when that date's exception is replaced. */
export const PUT = route({ access: "ADMIN", body: ZShiftException, maxBodyBytes: 20_000 }, async ({ params, body, caller }) => {
  const { created, exception } = await saveShiftException(params.siteId, body, caller);
  return NextResponse.json({ data: exception }, { status: created ? 201 : 200 });
});
