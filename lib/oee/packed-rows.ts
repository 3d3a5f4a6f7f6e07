/**
 * Many small result rows cost more in the driver than in the database (several µs each), so the
 * reports' sums come back as one text value: rows separated by ";", fields by ",", list items by " ",
 * pairs inside an item by ":", every value an integer. Parsed by hand, because split() and Number() over ~10⁵ values is itself the
 * slowest step of a 30-day report. Pure.
 */
const comma = 44;
const colon = 58;
const semicolon = 59;
const space = 32;
const minus = 45;
const zero = 48;

export class PackedReader {
  private index = 0;
  /** The separator after the value read last: "," ";" " " ":" or -1 at the end. */
  separator = -1;

  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.index >= this.text.length;
  }

  /** The next integer, and the separator after it. */
  int(): number {
    const { text } = this;
    let index = this.index;
    const negative = text.charCodeAt(index) === minus;
    if (negative) index++;
    let value = 0;
    let digits = 0;
    for (; index < text.length; index++) {
      const digit = text.charCodeAt(index) - zero;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
      digits++;
    }
    const separator = index < text.length ? text.charCodeAt(index) : -1;
    if (digits === 0 || (separator !== -1 && separator !== comma && separator !== semicolon && separator !== space && separator !== colon)) {
      throw new Error(`malformed packed text at ${index}: "${text.slice(Math.max(0, index - 20), index + 20)}"`);
    }
    this.separator = separator;
    this.index = index + 1;
    return negative ? -value : value;
  }

  /** Whether the value read last was followed by another item of the same list. */
  get inList(): boolean {
    return this.separator === space;
  }
}

/** Rows of `width` integer fields. */
export function unpackRows(packed: string | null | undefined, width: number): number[][] {
  const rows: number[][] = [];
  if (!packed) return rows;
  const reader = new PackedReader(packed);
  while (!reader.done) {
    const row: number[] = [];
    for (let field = 0; field < width; field++) row.push(reader.int());
    if (reader.separator !== semicolon && reader.separator !== -1) throw new Error(`malformed packed row ${rows.length + 1}: more than ${width} fields`);
    rows.push(row);
  }
  return rows;
}
