import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it("keeps paths on this site", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/oee?line=line-1#top")).toBe("/oee?line=line-1#top");
  });

  it("refuses other sites and odd values", () => {
    for (const value of ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "", "/\tevil", "/a\\b"]) {
      expect(safeNextPath(value)).toBeNull();
    }
    expect(safeNextPath(undefined)).toBeNull();
    expect(safeNextPath(["/a", "/b"])).toBeNull();
  });
});
