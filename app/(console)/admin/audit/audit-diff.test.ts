import { describe, expect, it } from "vitest";
import { auditValueText, diffAudit } from "./audit-diff";

describe("diffAudit", () => {
  it("lists only the keys that changed, in the after-state's order, and counts the rest", () => {
    expect(diffAudit({ name: "Ann", role: "VIEWER", disabled: false }, { name: "Ann", role: "ADMIN", disabled: true })).toEqual({
      changes: [
        { key: "role", kind: "changed", before: "VIEWER", after: "ADMIN" },
        { key: "disabled", kind: "changed", before: "false", after: "true" },
      ],
      unchanged: 1,
    });
  });

  it("shows a creation as added keys and a deletion as removed keys", () => {
    expect(diffAudit(null, { code: 180001, name: "Hydraulic leak" }).changes).toEqual([
      { key: "code", kind: "added", before: "", after: "180001" },
      { key: "name", kind: "added", before: "", after: "Hydraulic leak" },
    ]);
    expect(diffAudit({ code: 180001 }, null)).toEqual({ changes: [{ key: "code", kind: "removed", before: "180001", after: "" }], unchanged: 0 });
    expect(diffAudit({ passwordReset: true, name: "x" }, { name: "x" }).changes).toEqual([{ key: "passwordReset", kind: "removed", before: "true", after: "" }]);
  });

  it("compares nested values as JSON and keeps null distinct from a missing key", () => {
    expect(diffAudit({ limits: { max: 80 } }, { limits: { max: 90 } }).changes).toEqual([{ key: "limits", kind: "changed", before: '{"max":80}', after: '{"max":90}' }]);
    expect(diffAudit({ limits: { max: 80 } }, { limits: { max: 80 } })).toEqual({ changes: [], unchanged: 1 });
    expect(diffAudit({ expiresAt: null }, { expiresAt: "2027-01-01T00:00:00.000Z" }).changes[0]).toMatchObject({ kind: "changed", before: "null" });
    expect(diffAudit({}, { name: null }).changes).toEqual([{ key: "name", kind: "added", before: "", after: "null" }]);
  });

  it("treats entries that are not objects as one value, and nothing at all as no change", () => {
    expect(diffAudit("on", "off").changes).toEqual([{ key: "value", kind: "changed", before: "on", after: "off" }]);
    expect(diffAudit([1], [1, 2]).changes).toEqual([{ key: "value", kind: "changed", before: "[1]", after: "[1,2]" }]);
    expect(diffAudit(null, null)).toEqual({ changes: [], unchanged: 0 });
  });

  it("keeps markup and formula-like strings as plain text for React to escape", () => {
    expect(diffAudit(null, { name: "<img src=x onerror=alert(1)>" }).changes[0]?.after).toBe("<img src=x onerror=alert(1)>");
    expect(auditValueText("=cmd|' /C calc'!A0")).toBe("=cmd|' /C calc'!A0");
    // Own keys only: a "__proto__" key in stored JSON is data, not the prototype.
    expect(diffAudit(JSON.parse('{"__proto__": {"x": 1}}'), null).changes).toEqual([{ key: "__proto__", kind: "removed", before: '{"x":1}', after: "" }]);
  });
});
