import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../csv/to-csv";
import { auditToCsv, type TAuditEntry, ZAuditQuery } from "./find-audit";

const entry: TAuditEntry = {
  at: "2026-12-04T10:00:00.000Z", actor: "admin@shopfloor.test", action: "user.update", entity: "user", entityId: "u-1",
  before: { name: "Ann", role: "VIEWER" }, after: { name: "Ann", role: "ADMIN", passwordReset: true },
};

describe("csvCell (guards CSV/formula injection, security row 14)", () => {
  it("prefixes cells that a spreadsheet would run as a formula with an apostrophe", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}cmd|' /C calc'!A0`)).toBe(`"'${start}cmd|' /C calc'!A0"`);
    expect(csvCell("=cmd|' /C calc'!A0")).toBe(`"'=cmd|' /C calc'!A0"`);
  });

  it("quotes every cell and doubles quotes, leaving ordinary text alone", () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell(" =not-first")).toBe('" =not-first"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(12)).toBe('"12"');
    expect(csvCell(false)).toBe('"false"');
  });

  it("writes a header line and CRLF line ends", () => {
    expect(toCsv([{ a: 1, b: "x" }], [{ header: "a", value: (row) => row.a }, { header: "b", value: (row) => row.b }])).toBe('"a","b"\r\n"1","x"\r\n');
  });
});

describe("auditToCsv", () => {
  it("writes one line per field of before/after, nested values as JSON", () => {
    const lines = auditToCsv([entry, { ...entry, action: "settings.update", before: null, after: { retention: { days: 30 } } }]).trimEnd().split("\r\n");
    expect(lines).toEqual([
      '"at","actor","action","entity","entityId","field","before","after"',
      '"2026-12-04T10:00:00.000Z","admin@shopfloor.test","user.update","user","u-1","name","Ann","Ann"',
      '"2026-12-04T10:00:00.000Z","admin@shopfloor.test","user.update","user","u-1","role","VIEWER","ADMIN"',
      '"2026-12-04T10:00:00.000Z","admin@shopfloor.test","user.update","user","u-1","passwordReset","","true"',
      '"2026-12-04T10:00:00.000Z","admin@shopfloor.test","settings.update","user","u-1","retention","","{""days"":30}"',
    ]);
  });

  it("keeps an entry without before/after as one line, and neutralises formula values", () => {
    const csv = auditToCsv([{ ...entry, before: null, after: null }, { ...entry, before: null, after: { name: "=cmd|' /C calc'!A0" } }]);
    expect(csv.split("\r\n")[1]).toBe('"2026-12-04T10:00:00.000Z","admin@shopfloor.test","user.update","user","u-1","","",""');
    expect(csv).toContain(`"name","","'=cmd|' /C calc'!A0"`);
  });
});

describe("ZAuditQuery", () => {
  it("defaults limit to 200, caps it at 1000 and wants zoned date-times in order", () => {
    expect(ZAuditQuery.parse({})).toEqual({ limit: 200, format: "json" });
    expect(ZAuditQuery.safeParse({ limit: "1000" }).success).toBe(true);
    expect(ZAuditQuery.safeParse({ limit: "1001" }).success).toBe(false);
    expect(ZAuditQuery.safeParse({ from: "2026-12-04T10:00:00" }).success).toBe(false);
    expect(ZAuditQuery.safeParse({ from: "2026-12-04T10:00:00+01:00", to: "2026-12-04T09:30:00Z" }).success).toBe(true);
    expect(ZAuditQuery.safeParse({ from: "2026-12-04T10:00:00Z", to: "2026-12-04T09:00:00Z" }).success).toBe(false);
  });

  it("takes a cursor only in the shape nextCursor has (epoch ms and id, within bigint)", () => {
    expect(ZAuditQuery.parse({ cursor: "1796400000000.42" }).cursor).toBe("1796400000000.42");
    for (const cursor of ["", "42", "1796400000000.", "1796400000000.42;DROP", "1.9999999999999999999", "-1.2"]) {
      expect(ZAuditQuery.safeParse({ cursor }).success, cursor).toBe(false);
    }
  });
});
