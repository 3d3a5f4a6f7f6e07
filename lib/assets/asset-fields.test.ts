import { describe, expect, it } from "vitest";
import { childLevelOf, parentLevelOf, slugFromName, ZAssetSlug, ZTimeZone } from "./asset-fields";
import { ZCreateAsset } from "./create-asset";
import { ZUpdateAsset } from "./update-asset";

describe("slugFromName", () => {
  it("makes a topic-safe slug from a name", () => {
    expect(slugFromName("Press Line 1")).toBe("press-line-1");
    expect(slugFromName("  Presse Nr. 3 (Ölkühlung) ")).toBe("presse-nr-3-olkuhlung");
    expect(slugFromName("_hidden__name_")).toBe("hidden__name_");
    expect(slugFromName("<img src=x onerror=alert(1)>")).toBe("img-src-x-onerror-alert-1");
    expect(slugFromName("!!!")).toBe("");
    expect(slugFromName("x".repeat(80))).toHaveLength(64);
    // Every non-empty result is a valid slug.
    for (const name of ["Line 1", "a--b", "-start", "Ünïcödé line", "a".repeat(63) + "-b"]) expect(ZAssetSlug.safeParse(slugFromName(name)).success, name).toBe(true);
  });
});

describe("asset levels", () => {
  it("follow ISA-95 from the enterprise down to the work cell", () => {
    expect(childLevelOf("ENTERPRISE")).toBe("SITE");
    expect(childLevelOf("LINE")).toBe("WORK_CELL");
    expect(childLevelOf("WORK_CELL")).toBeNull();
    expect(parentLevelOf("AREA")).toBe("SITE");
    expect(parentLevelOf("ENTERPRISE")).toBeNull();
  });
});

describe("asset input", () => {
  it("accepts IANA zones only and topic-level slugs only", () => {
    expect(ZTimeZone.safeParse("America/Detroit").success).toBe(true);
    expect(ZTimeZone.safeParse("Mars/Base").success).toBe(false);
    expect(ZTimeZone.safeParse("").success).toBe(false);
    for (const bad of ["", "a b", "a/b", "+", "#", "_schema", "ü"]) expect(ZAssetSlug.safeParse(bad).success, bad).toBe(false);
    expect(ZAssetSlug.safeParse("Line_1-B").success).toBe(true);
  });

  it("refuses unknown fields and an empty change", () => {
    expect(ZCreateAsset.safeParse({ parentId: null, name: "Acme", path: "acme" }).success).toBe(false);
    expect(ZCreateAsset.safeParse({ name: "Acme" }).success).toBe(false);
    expect(ZUpdateAsset.safeParse({}).success).toBe(false);
    expect(ZUpdateAsset.safeParse({ notes: null }).success).toBe(true);
  });
});
