import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./to-csv";

describe("toCsv", () => {
  it("quotes every cell, doubles inner quotes and ends lines with CRLF", () => {
    const csv = toCsv([{ name: 'say "hi", twice', count: 3, note: null }], [
      { header: "name", value: (row) => row.name },
      { header: "count", value: (row) => row.count },
      { header: "note", value: (row) => row.note },
    ]);
    expect(csv).toBe('"name","count","note"\r\n"say ""hi"", twice","3",""\r\n');
  });

  it.each([
    ["=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""],
    ["+1+2", "\"'+1+2\""],
    ["-2+3", "\"'-2+3\""],
    ["@SUM(A1)", "\"'@SUM(A1)\""],
    ["\tcmd", "\"'\tcmd\""],
    ["\rcmd", "\"'\rcmd\""],
    ["plain = text", "\"plain = text\""],
  ])("neutralises a formula-like cell %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("keeps line breaks inside a quoted cell", () => {
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });
});
