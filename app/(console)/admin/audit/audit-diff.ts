/** Before → after of an audit entry as a list of changed keys, for people to read. Pure. */

export type TAuditChange = { key: string; kind: "added" | "removed" | "changed"; before: string; after: string };
export type TAuditDiff = { changes: TAuditChange[]; unchanged: number };

type TJson = null | boolean | number | string | TJson[] | { [key: string]: TJson };

function isRecord(value: unknown): value is Record<string, TJson> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A value as text: strings as they are (never markup), null as "null", anything nested as JSON. */
export function auditValueText(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * The keys whose values differ, in the order the after-state lists them, then keys only the
 * before-state had. A creation lists every key as added, a deletion every key as removed;
 * entries that are not objects are compared as one value under the key "value".
 */
export function diffAudit(before: unknown, after: unknown): TAuditDiff {
  const beforeRecord = isRecord(before) ? before : before === null || before === undefined ? {} : { value: before as TJson };
  const afterRecord = isRecord(after) ? after : after === null || after === undefined ? {} : { value: after as TJson };
  const keys = [...new Set([...Object.keys(afterRecord), ...Object.keys(beforeRecord)])];
  const changes: TAuditChange[] = [];
  let unchanged = 0;
  for (const key of keys) {
    const had = Object.hasOwn(beforeRecord, key);
    const has = Object.hasOwn(afterRecord, key);
    const beforeText = had ? auditValueText(beforeRecord[key]) : "";
    const afterText = has ? auditValueText(afterRecord[key]) : "";
    if (had && has && JSON.stringify(beforeRecord[key]) === JSON.stringify(afterRecord[key])) {
      unchanged += 1;
      continue;
    }
    changes.push({ key, kind: had && has ? "changed" : has ? "added" : "removed", before: beforeText, after: afterText });
  }
  return { changes, unchanged };
}
