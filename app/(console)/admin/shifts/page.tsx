import type { Metadata } from "next";
import { ShiftCalendarsAdmin } from "./shift-calendars-admin";

export const metadata: Metadata = { title: "Shift calendars" };

export default function ShiftCalendarsPage() {
  return <ShiftCalendarsAdmin />;
}
