import { randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import { NextRequest } from "next/server";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TWorker } from "@/ingest-worker/worker";
import { GET as getOee } from "@/app/api/v1/oee/route";
import { GET as getPlanned } from "@/app/api/v1/sites/[siteId]/planned-shifts/route";
import { PUT as putException } from "@/app/api/v1/sites/[siteId]/shift-calendar/exceptions/route";
import { DELETE as deleteException } from "@/app/api/v1/sites/[siteId]/shift-calendar/exceptions/[date]/route";
import { DELETE as deletePattern } from "@/app/api/v1/sites/[siteId]/shift-calendar/patterns/[validFrom]/route";
import { GET as getCalendar, PUT as putPattern } from "@/app/api/v1/sites/[siteId]/shift-calendar/route";
import { hashPassword } from "@/lib/auth/password";
import { signIn } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/enums";
import { closeHarness, connectPublisher, publishJson, startTestWorker, testDb, uniqueEnterprise, waitFor, waitUntilSubscribed } from "../support/ingest-harness";

// A machine's day ingested through MQTT with no shift messages at all: its planned time comes only from
// the site's shift calendar, edited through the API, in the site's zone (fixed UTC+2 here, so the
// expected instants are plain arithmetic), with a break, a holiday and a later pattern version.
const minute = 60_000;
const hour = 60 * minute;
const enterprise = uniqueEnterprise("shifts");
const sitePath = `${enterprise}/plant-a`;
const machine = `${sitePath}/area-1/line-1/mill-1`;
const zoneOffset = 2 * hour;
// The day before yesterday (UTC date), as a date of the site: safely in the past whatever the time now.
const dayUtc = new Date(Date.now() - 2 * 24 * hour);
const day = dayUtc.toISOString().slice(0, 10);
const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * hour).toISOString().slice(0, 10);
/** The instant of local wall-clock "HH:MM" on `day` at the site. */
const local = (hhmm: string) => {
  const [hours = 0, minutes = 0] = hhmm.split(":").map(Number);
  return Date.parse(`${day}T00:00:00Z`) - zoneOffset + hours * hour + minutes * minute;
};
const range = { asset: machine, from: new Date(local("00:00")).toISOString(), to: new Date(local("00:00") + 24 * hour).toISOString() };
const earlyShift = { name: "Early", start: "06:00", end: "14:00", days: [1, 2, 3, 4, 5, 6, 7], breaks: [{ start: "10:00", end: "10:30" }] };

let worker: TWorker;
let publisher: MqttClient;
let pool: pg.Pool;
let siteId = "";
const cookies: Partial<Record<Role, string>> = {};

function request(method: string, path: string, role: Role | null, body?: unknown) {
  const headers: Record<string, string> = { host: "localhost", origin: "http://localhost" };
  if (role) headers.cookie = cookies[role] ?? "";
  if (body !== undefined) headers["content-type"] = "application/json";
  return new NextRequest(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function json(response: Response) {
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const params = (extra: Record<string, string> = {}) => ({ params: Promise.resolve({ siteId, ...extra }) });
const base = () => `/api/v1/sites/${siteId}/shift-calendar`;
const savePattern = async (body: unknown, role: Role = "ADMIN") => json(await putPattern(request("PUT", base(), role, body), params()));
const saveException = async (body: unknown, role: Role = "ADMIN") => json(await putException(request("PUT", `${base()}/exceptions`, role, body), params()));
const oee = async () => (await json(await getOee(request("GET", `/api/v1/oee?${new URLSearchParams(range)}`, "VIEWER"), { params: Promise.resolve({}) }))).body.data;

beforeAll(async () => {
  pool = testDb();
  ({ worker } = await startTestWorker(enterprise));
  publisher = await connectPublisher();
  await waitUntilSubscribed(publisher, pool, enterprise);
  for (const role of ["VIEWER", "ADMIN"] as const) {
    const email = `shifts-${role.toLowerCase()}-${randomUUID()}@shopfloor.test`;
    await getDb().user.create({ data: { email, passwordHash: await hashPassword("shifts-test-pass"), role } });
    cookies[role] = `shopfloor_session=${(await signIn({ email, password: "shifts-test-pass" }, null)).token}`;
  }

  // Producing from 05:00; a failure 08:00–08:30 (unplanned); unspecified 10:00–10:30, exactly the planned break.
  const states: [string, number][] = [["05:00", 10_000], ["08:00", 180_000], ["08:30", 10_000], ["10:00", 40_000], ["10:30", 10_000]];
  for (const [time, state] of states) await publishJson(publisher, `umh/v1/${machine}/_analytics/state`, { timestamp_ms: local(time), state });
  await publishJson(publisher, `umh/v1/${machine}/_analytics/count`, { timestamp_ms: local("09:00"), count: 100, scrap: 4 });
  await waitFor(async () => (await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM state_events e JOIN assets a ON a.id = e.asset_id WHERE a.path = $1", [machine])).rows[0]?.n, (n) => Number(n) === states.length);

  const site = await getDb().asset.update({ where: { path: sitePath }, data: { timeZone: "Etc/GMT-2" }, select: { id: true } });
  siteId = site.id;
}, 60_000);

afterAll(() => closeHarness({ publisher, worker, pool }));

describe("site shift calendars", () => {
  it("has no planned time before a calendar exists (no shift messages were sent)", async () => {
    const figures = await oee();
    expect(figures.plannedProductionTimeMs).toBe(0);
    expect(figures.warnings).toContain("no planned production time in this range");
  });

  it("plans OEE from the weekly pattern in the site's zone: a break covering a stop is planned, not a loss", async () => {
    const saved = await savePattern({ validFrom: "2026-01-01", shifts: [earlyShift] });
    expect(saved.status).toBe(201);

    const figures = await oee();
    // 06:00–14:00 = 480 min; the 30-min break is planned; the 30-min failure is unplanned.
    expect(figures.plannedStopTimeMs).toBe(30 * minute);
    expect(figures.unplannedStopTimeMs).toBe(30 * minute);
    expect(figures.plannedProductionTimeMs).toBe(450 * minute);
    expect(figures.availability).toBeCloseTo(420 / 450, 4);
    expect(figures.totalCount).toBe(100);
    expect(figures.quality).toBeCloseTo(0.96, 4);

    const planned = await json(await getPlanned(request("GET", `/api/v1/sites/${siteId}/planned-shifts?from=${range.from}&to=${range.to}`, "VIEWER"), params()));
    expect(planned.status).toBe(200);
    expect(planned.body.data.timeZone).toBe("Etc/GMT-2");
    expect(planned.body.data.shifts).toEqual([expect.objectContaining({
      name: "Early", date: day, source: "calendar",
      start: new Date(local("06:00")).toISOString(), end: new Date(local("14:00")).toISOString(),
      breaks: [{ start: new Date(local("10:00")).toISOString(), end: new Date(local("10:30")).toISOString() }],
    })]);
  });

  it("groups OEE by the calendar's shifts", async () => {
    const response = await json(await getOee(request("GET", `/api/v1/oee?${new URLSearchParams({ ...range, groupBy: "shift" })}`, "VIEWER"), { params: Promise.resolve({}) }));
    expect(response.body.data.map((bucket: { from: string; to: string }) => [bucket.from, bucket.to])).toEqual([
      [new Date(local("06:00")).toISOString(), new Date(local("14:00")).toISOString()],
    ]);
  });

  it("closes a holiday and reopens it when the exception is deleted; every change is audited", async () => {
    expect((await saveException({ date: day, mode: "closed", note: "Plant holiday" })).status).toBe(201);
    expect((await oee()).plannedProductionTimeMs).toBe(0);

    const calendar = await json(await getCalendar(request("GET", base(), "VIEWER"), params()));
    expect(calendar.body.data.exceptions).toEqual([{ date: day, mode: "closed", note: "Plant holiday", shifts: [] }]);

    const removed = await json(await deleteException(request("DELETE", `${base()}/exceptions/${day}`, "ADMIN"), params({ date: day })));
    expect(removed.status).toBe(204);
    expect((await oee()).plannedProductionTimeMs).toBe(450 * minute);

    const audit = await getDb().auditEntry.findMany({ where: { entityId: { startsWith: sitePath } }, orderBy: { id: "asc" }, select: { action: true, entityId: true } });
    expect(audit).toEqual([
      { action: "shift_pattern.create", entityId: `${sitePath}@2026-01-01` },
      { action: "shift_exception.create", entityId: `${sitePath}@${day}` },
      { action: "shift_exception.delete", entityId: `${sitePath}@${day}` },
    ]);
  });

  it("adds overtime on a date besides the pattern's shifts", async () => {
    expect((await saveException({ date: day, mode: "add", note: "Overtime", shifts: [{ name: "Overtime", start: "16:00", end: "18:00" }] })).status).toBe(201);
    // The machine kept producing after 10:30, so the two overtime hours are run time too.
    expect((await oee()).plannedProductionTimeMs).toBe((450 + 120) * minute);
    await json(await deleteException(request("DELETE", `${base()}/exceptions/${day}`, "ADMIN"), params({ date: day })));
  });

  it("keeps earlier days on the pattern they had when a new version starts later", async () => {
    const later = await savePattern({ validFrom: nextDay, shifts: [{ ...earlyShift, start: "07:00", end: "11:00", breaks: [] }] });
    expect(later.status).toBe(201);
    expect((await oee()).plannedProductionTimeMs).toBe(450 * minute);
    // Saving the same first day again replaces that version (200), and deleting it restores the old pattern for later days.
    expect((await savePattern({ validFrom: nextDay, shifts: [] })).status).toBe(200);
    const deleted = await json(await deletePattern(request("DELETE", `${base()}/patterns/${nextDay}`, "ADMIN"), params({ validFrom: nextDay })));
    expect(deleted.status).toBe(204);
  });

  it("refuses bad calendars with the field that is wrong, and keeps what was saved", async () => {
    const overlap = await savePattern({ validFrom: "2026-01-01", shifts: [earlyShift, { name: "Late", start: "13:00", end: "21:00", days: [1] }] });
    expect(overlap.status).toBe(400);
    expect(JSON.stringify(overlap.body.error)).toContain('\\"Early\\" and \\"Late\\" overlap on Monday');
    const badBreak = await savePattern({ validFrom: "2026-01-01", shifts: [{ ...earlyShift, breaks: [{ start: "15:00", end: "15:30" }] }] });
    expect(badBreak.status).toBe(400);
    expect(JSON.stringify(badBreak.body.error)).toContain("break 1 must lie inside the shift (06:00–14:00)");
    expect((await savePattern({ validFrom: "2026-13-01", shifts: [] })).status).toBe(400);
    expect((await savePattern({ validFrom: "2026-01-01", shifts: [{ ...earlyShift, extra: 1 }] })).status).toBe(400);
    expect((await saveException({ date: day, mode: "holiday" })).status).toBe(400);

    const calendar = await json(await getCalendar(request("GET", base(), "VIEWER"), params()));
    expect(calendar.body.data.patterns).toEqual([{ validFrom: "2026-01-01", shifts: [earlyShift] }]);
  });

  it("scores performance with the machine's ideal cycle time set by an admin when no work order gives one", async () => {
    expect((await oee()).performance).toBeNull();
    await getDb().asset.update({ where: { path: machine }, data: { idealCycleTimeMs: 60_000 } });
    const figures = await oee();
    // 100 parts × 60 s ideal over 420 min of run time.
    expect(figures.performance).toBeCloseTo((100 * 60) / (420 * 60), 4);
    expect(figures.warnings.join("\n")).toContain("100 parts counted with no work order ideal cycle time used the asset's fallback ideal cycle time");
  });

  it("lets only admins change calendars, and answers 404 for what is not a site", async () => {
    expect((await savePattern({ validFrom: "2026-01-01", shifts: [] }, "VIEWER")).status).toBe(403);
    expect((await json(await putPattern(request("PUT", base(), null, { validFrom: "2026-01-01", shifts: [] }), params()))).status).toBe(401);
    const machineId = (await getDb().asset.findUniqueOrThrow({ where: { path: machine } })).id;
    expect((await json(await getCalendar(request("GET", "/x", "VIEWER"), { params: Promise.resolve({ siteId: machineId }) }))).status).toBe(404);
    expect((await json(await getCalendar(request("GET", "/x", "VIEWER"), { params: Promise.resolve({ siteId: "not-a-uuid" }) }))).status).toBe(404);
    expect((await json(await deleteException(request("DELETE", "/x", "ADMIN"), params({ date: "2026-02-30" })))).status).toBe(404);
  });
});
