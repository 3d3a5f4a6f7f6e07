import { describe, expect, it } from "vitest";
import { PackedReader, unpackRows } from "./packed-rows";

describe("packed rows", () => {
  it("splits rows and integer fields", () => {
    expect(unpackRows("1,2,30000,-5;2,0,10000,7", 4)).toEqual([[1, 2, 30_000, -5], [2, 0, 10_000, 7]]);
  });

  it("reads nothing from null or an empty string", () => {
    expect(unpackRows(null, 3)).toEqual([]);
    expect(unpackRows("", 3)).toEqual([]);
  });

  it("refuses a row of the wrong width or a value that is not an integer", () => {
    expect(() => unpackRows("1,2,3", 2)).toThrow(/more than 2 fields/);
    expect(() => unpackRows("1,2", 3)).toThrow(/malformed/);
    expect(() => unpackRows("1,2.5", 2)).toThrow(/malformed/);
  });

  it("reads space-separated lists of code:ms pairs inside a row", () => {
    const reader = new PackedReader("1,7,10000:5 40000:7;2,8,10000:60");
    const rows: number[][][] = [];
    while (!reader.done) {
      const head = [reader.int(), reader.int()];
      const pairs: number[][] = [];
      do pairs.push([reader.int(), reader.int()]); while (reader.inList);
      rows.push([head, ...pairs]);
    }
    expect(rows).toEqual([[[1, 7], [10_000, 5], [40_000, 7]], [[2, 8], [10_000, 60]]]);
  });
});
