/**
 * CSV (RFC 4180) that spreadsheets open safely: every cell quoted, inner quotes doubled, and a cell
 * that starts like a formula (= + - @, tab, carriage return) prefixed with an apostrophe so Excel
 * and LibreOffice show it as text instead of running it (OWASP "CSV injection").
 */
export type TCsvValue = string | number | boolean | null | undefined;
export type TCsvColumn<TRow> = { header: string; value: (row: TRow) => TCsvValue };

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: TCsvValue): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = formulaStart.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv<TRow>(rows: readonly TRow[], columns: readonly TCsvColumn<TRow>[]): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
