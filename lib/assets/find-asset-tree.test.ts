import { describe, expect, it } from "vitest";
import { buildTree } from "./find-asset-tree";

const row = (id: string, parentId: string | null) => ({
  id, name: id, path: id, level: "LINE" as const, parentId, type: null, timeZone: null,
});

describe("buildTree", () => {
  it("nests children under their parents in input order", () => {
    const tree = buildTree([row("a", null), row("b", "a"), row("c", "a"), row("d", "b")]);
    expect(tree.map((n) => n.id)).toEqual(["a"]);
    expect(tree[0]?.children.map((n) => n.id)).toEqual(["b", "c"]);
    expect(tree[0]?.children[0]?.children.map((n) => n.id)).toEqual(["d"]);
  });

  it("treats a node whose parent is absent as a root instead of dropping it", () => {
    const tree = buildTree([row("orphan", "gone"), row("root", null)]);
    expect(tree.map((n) => n.id).sort()).toEqual(["orphan", "root"]);
  });
});
