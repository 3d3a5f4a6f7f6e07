import { describe, expect, it } from "vitest";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import { countAssets, filterTree, isExpandedByDefault, splitOnMatch, visibleRows } from "./asset-tree-model";

function node(id: string, level: TAssetNode["level"], path: string, children: TAssetNode[] = []): TAssetNode {
  return { id, name: id, path, level, parentId: null, type: null, timeZone: null, children };
}

const plant = [
  node("Acme", "ENTERPRISE", "acme", [
    node("Detroit", "SITE", "acme/detroit", [
      node("Press Shop", "AREA", "acme/detroit/press-shop", [
        node("Press Line 1", "LINE", "acme/detroit/press-shop/line-1", [
          node("Press 1", "WORK_CELL", "acme/detroit/press-shop/line-1/press-1"),
          node("Press 2", "WORK_CELL", "acme/detroit/press-shop/line-1/press-2"),
        ]),
      ]),
      node("Assembly", "AREA", "acme/detroit/assembly", [
        node("Line A", "LINE", "acme/detroit/assembly/line-a", [node("Station 1", "WORK_CELL", "acme/detroit/assembly/line-a/station-1")]),
      ]),
    ]),
  ]),
];

describe("asset tree model", () => {
  it("counts sites, lines and machines", () => {
    expect(countAssets(plant)).toEqual({ sites: 1, lines: 2, machines: 3 });
  });

  it("shows everything down to the machines by default", () => {
    const rows = visibleRows(plant, null, isExpandedByDefault);
    expect(rows.map((row) => row.node.id)).toEqual(["Acme", "Detroit", "Press Shop", "Press Line 1", "Press 1", "Press 2", "Assembly", "Line A", "Station 1"]);
    expect(rows[4]).toMatchObject({ level: 5, parentId: "Press Line 1", posInSet: 1, setSize: 2, expandable: false });
  });

  it("hides the children of a collapsed node", () => {
    const rows = visibleRows(plant, null, (n) => n.id !== "Press Shop");
    expect(rows.map((row) => row.node.id)).toEqual(["Acme", "Detroit", "Press Shop", "Assembly", "Line A", "Station 1"]);
    expect(rows[2]).toMatchObject({ expandable: true, expanded: false });
  });

  it("filters by name or path, keeping ancestors and a match's descendants", () => {
    const byName = filterTree(plant, "press line");
    expect([...byName!.matched]).toEqual(["Press Line 1"]);
    const rows = visibleRows(plant, byName!.shown, () => true);
    expect(rows.map((row) => row.node.id)).toEqual(["Acme", "Detroit", "Press Shop", "Press Line 1", "Press 1", "Press 2"]);
    expect(rows[2]).toMatchObject({ posInSet: 1, setSize: 1 });

    expect([...filterTree(plant, "station-1")!.matched]).toEqual(["Station 1"]);
    expect(filterTree(plant, "")).toBeNull();
    expect(filterTree(plant, "nothing")!.shown.size).toBe(0);
  });

  it("splits text around matches for highlighting", () => {
    expect(splitOnMatch("Press Line 1", "line")).toEqual([
      { text: "Press ", match: false },
      { text: "Line", match: true },
      { text: " 1", match: false },
    ]);
    expect(splitOnMatch("<img src=x>", "img")).toEqual([
      { text: "<", match: false },
      { text: "img", match: true },
      { text: " src=x>", match: false },
    ]);
  });
});
