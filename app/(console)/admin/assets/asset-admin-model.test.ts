import { describe, expect, it } from "vitest";
import { ancestorsOf, canDropOn, countActiveBelow, countRetiredTogether, indexNodes, moveTargets, pathUnder, type TAdminNode, withoutRetired } from "./asset-admin-model";

const at = "2026-12-05T10:00:00.000Z";
function node(id: string, level: TAdminNode["level"], parentPath: string | null, children: TAdminNode[] = [], retiredAt: string | null = null): TAdminNode {
  const path = pathUnder(parentPath, id);
  const self: TAdminNode = {
    id, name: id.toUpperCase(), slug: id, path, level, parentId: null, timeZone: null, notes: null, idealCycleTimeMs: null,
    typeVersionId: null, type: null, retiredAt, createdAt: at, updatedAt: at, children,
  };
  for (const child of children) child.parentId = id;
  return self;
}

// acme / detroit / (press / line-1 / [m1, m2 retired], weld / line-2 retired / m3 retired)
const m1 = node("m1", "WORK_CELL", "acme/detroit/press/line-1");
const m2 = node("m2", "WORK_CELL", "acme/detroit/press/line-1", [], "2026-12-01T00:00:00.000Z");
const line1 = node("line-1", "LINE", "acme/detroit/press", [m1, m2]);
const m3 = node("m3", "WORK_CELL", "acme/detroit/weld/line-2", [], at);
const line2 = node("line-2", "LINE", "acme/detroit/weld", [m3], at);
const press = node("press", "AREA", "acme/detroit", [line1]);
const weld = node("weld", "AREA", "acme/detroit", [line2]);
const detroit = node("detroit", "SITE", "acme", [press, weld]);
const acme = node("acme", "ENTERPRISE", null, [detroit]);
const byId = indexNodes([acme]);

describe("the asset admin model", () => {
  it("hides retired assets with what is below them", () => {
    const shown = indexNodes(withoutRetired([acme]));
    expect([...shown.keys()].sort()).toEqual(["acme", "detroit", "line-1", "m1", "press", "weld"]);
  });

  it("offers active parents of the level above as move targets, not the current one", () => {
    expect(moveTargets(byId, m1).map((target) => target.id)).toEqual([]);
    expect(moveTargets(byId, line1).map((target) => target.id)).toEqual(["weld"]);
    expect(moveTargets(byId, acme)).toEqual([]);
    expect(canDropOn(line1, weld)).toBe(true);
    expect(canDropOn(line1, press)).toBe(false);
    expect(canDropOn(line1, detroit)).toBe(false);
    expect(canDropOn(m1, line2)).toBe(false);
    expect(canDropOn(m3, line1)).toBe(false);
  });

  it("counts the active assets below, and those retired together", () => {
    expect(countActiveBelow(acme)).toBe(5);
    expect(countActiveBelow(line1)).toBe(1);
    expect(countRetiredTogether(line2)).toBe(1);
    expect(countRetiredTogether(line1)).toBe(0);
  });

  it("lists ancestors from the top", () => {
    expect(ancestorsOf(byId, m1).map((ancestor) => ancestor.id)).toEqual(["acme", "detroit", "press", "line-1"]);
    expect(ancestorsOf(byId, acme)).toEqual([]);
  });
});
