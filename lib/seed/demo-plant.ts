import type { PrismaClient } from "../generated/prisma/client";
import type { AssetLevel, MetricDataType } from "../generated/prisma/enums";
import { ZShiftPattern, type TShiftPattern } from "../shifts/calendar-schema";
import { threeShiftPattern } from "../simulator/shift-schedule";

type TMetric = { name: string; unit?: string; dataType: MetricDataType; min?: number; max?: number; displayPrecision?: number };
type TTypeSpec = { key: string; name: string; description: string; metrics: TMetric[]; commands: { name: string; description: string }[] };
type TAssetSpec = { slug: string; name: string; level: AssetLevel; type?: string; timeZone?: string; children?: TAssetSpec[] };

/** Machine state codes (UMH-compatible, domain.md §3) every demo type declares. */
export const standardStates: { code: number; name: string }[] = [
  { code: 10000, name: "Producing" }, { code: 20000, name: "Producing below full speed" },
  { code: 30000, name: "Unknown" }, { code: 40000, name: "Unspecified stop" }, { code: 50000, name: "Micro-stop" },
  { code: 60000, name: "Inlet jam" }, { code: 70000, name: "Outlet jam" }, { code: 80000, name: "Congestion" },
  { code: 90000, name: "Material issue" }, { code: 100000, name: "Changeover" }, { code: 110000, name: "Cleaning" },
  { code: 120000, name: "Emptying" }, { code: 130000, name: "Setting up" }, { code: 140000, name: "Operator not at machine" },
  { code: 150000, name: "Operator break" }, { code: 160000, name: "No shift" }, { code: 170000, name: "No order" },
  { code: 180000, name: "Equipment failure" }, { code: 190000, name: "External failure" },
  { code: 200000, name: "External interference" }, { code: 210000, name: "Preventive maintenance" },
  { code: 220000, name: "Other technical stop" },
];

const processValues: TMetric[] = [
  { name: "temperature", unit: "°C", dataType: "NUMBER", min: 10, max: 90, displayPrecision: 1 },
  { name: "vibration", unit: "mm/s", dataType: "NUMBER", min: 0, max: 11, displayPrecision: 2 },
  { name: "power", unit: "kW", dataType: "NUMBER", min: 0, max: 75, displayPrecision: 1 },
];

export const demoAssetTypes: TTypeSpec[] = [
  {
    key: "stamping-press", name: "Stamping press", description: "Mechanical stamping press, 400 t",
    metrics: [...processValues, { name: "stroke_rate", unit: "spm", dataType: "NUMBER", min: 0, max: 60, displayPrecision: 0 }],
    commands: [{ name: "safe-stop", description: "Finish the stroke and stop at top dead centre" }],
  },
  {
    key: "cnc-mill", name: "CNC milling centre", description: "5-axis vertical machining centre",
    metrics: [...processValues, { name: "spindle_speed", unit: "rpm", dataType: "NUMBER", min: 0, max: 18000, displayPrecision: 0 }],
    commands: [{ name: "safe-stop", description: "Feed hold, then spindle stop" }],
  },
  {
    key: "assembly-station", name: "Assembly station", description: "Robot screwdriving and test cell",
    metrics: [...processValues, { name: "torque", unit: "N·m", dataType: "NUMBER", min: 0, max: 40, displayPrecision: 2 }, { name: "door_closed", dataType: "BOOLEAN" }],
    commands: [{ name: "safe-stop", description: "Stop the robot at the end of the cycle" }],
  },
];

const machines = (type: string, prefix: string, label: string, count: number): TAssetSpec[] =>
  Array.from({ length: count }, (_, index) => ({ slug: `${prefix}-${index + 1}`, name: `${label} ${index + 1}`, level: "WORK_CELL" as const, type }));

/** Acme's Detroit plant: three lines, ten machines (the simulator publishes for these paths). */
export const demoPlant: TAssetSpec = {
  slug: "acme", name: "Acme Manufacturing", level: "ENTERPRISE",
  children: [{
    slug: "detroit", name: "Detroit Plant", level: "SITE", timeZone: "America/Detroit",
    children: [
      { slug: "press-shop", name: "Press Shop", level: "AREA", children: [
        { slug: "line-1", name: "Press Line 1", level: "LINE", children: machines("stamping-press", "press", "Press", 3) },
      ] },
      { slug: "machining", name: "Machining", level: "AREA", children: [
        { slug: "cnc-line", name: "CNC Line", level: "LINE", children: machines("cnc-mill", "cnc", "CNC", 4) },
      ] },
      { slug: "assembly", name: "Assembly", level: "AREA", children: [
        { slug: "line-a", name: "Assembly Line A", level: "LINE", children: machines("assembly-station", "station", "Station", 3) },
      ] },
    ],
  }],
};

/** Idempotent: creates what is missing, leaves what exists (a second demo run keeps the data). */
export async function seedDemoPlant(db: PrismaClient): Promise<{ assets: number; types: number }> {
  const typeVersionIds = new Map<string, string>();
  for (const spec of demoAssetTypes) {
    const type = await db.assetType.upsert({
      where: { key: spec.key }, update: {},
      create: { key: spec.key, name: spec.name, description: spec.description },
    });
    const existing = await db.assetTypeVersion.findFirst({ where: { typeId: type.id }, orderBy: { version: "desc" } });
    const version = existing ?? await db.assetTypeVersion.create({
      data: {
        typeId: type.id, version: 1,
        metrics: { create: spec.metrics },
        states: { create: standardStates },
        commands: { create: spec.commands },
      },
    });
    typeVersionIds.set(spec.key, version.id);
  }

  let assets = 0;
  const visit = async (spec: TAssetSpec, parent: { id: string; path: string } | null) => {
    const path = parent ? `${parent.path}/${spec.slug}` : spec.slug;
    const asset = await db.asset.upsert({
      where: { path }, update: {},
      create: {
        name: spec.name, slug: spec.slug, path, level: spec.level, parentId: parent?.id ?? null,
        timeZone: spec.timeZone ?? null, typeVersionId: spec.type ? typeVersionIds.get(spec.type) ?? null : null,
      },
    });
    assets += 1;
    for (const child of spec.children ?? []) await visit(child, { id: asset.id, path });
  };
  await visit(demoPlant, null);
  await seedDemoShiftCalendar(db);
  return { assets, types: typeVersionIds.size };
}

const shiftNames = ["Early", "Late", "Night"];

/**
 * The demo site's calendar is the simulator's three-shift pattern with its breaks, so the shift calendar page
 * shows what the simulated plant works to. Only when the site has none: an admin's edits survive a restart.
 */
async function seedDemoShiftCalendar(db: PrismaClient) {
  const site = await db.asset.findUnique({ where: { path: `${demoPlant.slug}/${demoPlant.children?.[0]?.slug}` }, select: { id: true } });
  if (!site || (await db.shiftPattern.count({ where: { siteId: site.id } })) > 0) return;
  const pattern = demoShiftPattern();
  await db.shiftPattern.create({ data: { siteId: site.id, validFrom: new Date(`${pattern.validFrom}T00:00:00Z`), shifts: pattern.shifts } });
}

/** The simulator's shift pattern as a calendar pattern (lib/shifts/calendar-schema.ts). */
export function demoShiftPattern(simulated = threeShiftPattern): TShiftPattern {
  const clock = (minutes: number) => `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return ZShiftPattern.parse({
    validFrom: "2000-01-01",
    shifts: simulated.startHours.map((hour, index) => {
      const start = hour * 60;
      return {
        name: shiftNames[index] ?? `Shift ${index + 1}`,
        start: clock(start),
        end: clock(start + simulated.lengthHours * 60),
        // The simulator numbers days 0 = Sunday; the calendar 1 = Monday … 7 = Sunday.
        days: simulated.days.map((day) => day || 7).sort((a, b) => a - b),
        breaks: simulated.breaks.map((pause) => ({ start: clock(start + pause.afterMinutes), end: clock(start + pause.afterMinutes + pause.minutes) })),
      };
    }),
  });
}
