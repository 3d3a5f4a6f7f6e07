import { decodeSparkplugPayload } from "../ingest/sparkplug/codec";
import { simSeqMetric } from "./sparkplug-edge";

/**
 * Loss and duplication oracles. Every UNS `_historian` message carries `seq`, every Sparkplug
 * NDATA/DDATA carries `sim/seq`: per source, counters that start at 1 and grow by 1. Given what
 * was published (or what arrived), these helpers say which seqs each source sent and which are
 * missing or doubled.
 *
 * Sources: a UNS machine is its asset path (`acme/detroit/press-shop/line-1/press-1`); a
 * Sparkplug node is `<group>/<edge_node>` and a device `<group>/<edge_node>/<device>`.
 */

export type TPublished = { topic: string; payload: Uint8Array };
export type TSeqReport = { count: number; first: number | undefined; last: number | undefined; missing: number[]; duplicates: number[] };

const historianTopic = /^umh\/v1\/(.+)\/_historian$/;

export function sparkplugSource(group: string, edgeNode: string, device?: string): string {
  return device === undefined ? `${group}/${edgeNode}` : `${group}/${edgeNode}/${device}`;
}

/**
 * Seqs per source, in the order the messages appear. Sparkplug DATA carry aliases only, so the
 * `sim/seq` alias is learned from the births in the same history (as a host would).
 */
export function seqsBySource(history: Iterable<TPublished>): Map<string, number[]> {
  const seqs = new Map<string, number[]>();
  const add = (source: string, seq: number) => {
    const list = seqs.get(source);
    if (list) list.push(seq);
    else seqs.set(source, [seq]);
  };
  const seqAlias = new Map<string, bigint>();
  for (const message of history) {
    const uns = historianTopic.exec(message.topic);
    if (uns?.[1]) {
      const seq = historianSeq(message.payload);
      if (seq !== undefined) add(uns[1], seq);
      continue;
    }
    const parts = message.topic.split("/");
    if (parts[0] !== "spBv1.0" || parts.length < 4) continue;
    const [, group = "", type = "", edgeNode = "", device] = parts;
    const source = sparkplugSource(group, edgeNode, device);
    if (type === "NBIRTH" || type === "DBIRTH") {
      const alias = decodeSparkplugPayload(message.payload).metrics.find((metric) => metric.name === simSeqMetric)?.alias;
      if (alias !== undefined) seqAlias.set(source, alias);
    } else if (type === "NDATA" || type === "DDATA") {
      const alias = seqAlias.get(source);
      const metric = decodeSparkplugPayload(message.payload).metrics.find((candidate) => candidate.name === simSeqMetric || (alias !== undefined && candidate.alias === alias));
      const value = metric?.value;
      if (value?.kind === "long" || value?.kind === "int") add(source, Number(value.value));
    }
  }
  return seqs;
}

/** Which of 1..max(seq) never appeared and which appeared more than once. */
export function checkSeqs(seqs: readonly number[]): TSeqReport {
  if (!seqs.length) return { count: 0, first: undefined, last: undefined, missing: [], duplicates: [] };
  const seen = new Map<number, number>();
  for (const seq of seqs) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  const sorted = [...seen.keys()].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const missing: number[] = [];
  if (last !== undefined) for (let seq = 1; seq <= last; seq += 1) if (!seen.has(seq)) missing.push(seq);
  const duplicates = sorted.filter((seq) => (seen.get(seq) ?? 0) > 1);
  return { count: seqs.length, first, last, missing, duplicates };
}

/** Compares what each source sent with what arrived: lost seqs, doubled seqs, seqs never sent. */
export function compareSeqs(
  sent: ReadonlyMap<string, readonly number[]>, received: ReadonlyMap<string, readonly number[]>,
): Map<string, { lost: number[]; duplicated: number[]; unexpected: number[] }> {
  const result = new Map<string, { lost: number[]; duplicated: number[]; unexpected: number[] }>();
  for (const source of new Set([...sent.keys(), ...received.keys()])) {
    const sentSet = new Set(sent.get(source) ?? []);
    const counts = new Map<number, number>();
    for (const seq of received.get(source) ?? []) counts.set(seq, (counts.get(seq) ?? 0) + 1);
    result.set(source, {
      lost: [...sentSet].filter((seq) => !counts.has(seq)).sort((a, b) => a - b),
      duplicated: [...counts].filter(([, count]) => count > 1).map(([seq]) => seq).sort((a, b) => a - b),
      unexpected: [...counts.keys()].filter((seq) => !sentSet.has(seq)).sort((a, b) => a - b),
    });
  }
  return result;
}

function historianSeq(payload: Uint8Array): number | undefined {
  try {
    const body: unknown = JSON.parse(Buffer.from(payload).toString("utf8"));
    if (typeof body !== "object" || body === null || !("seq" in body)) return undefined;
    return typeof body.seq === "number" ? body.seq : undefined;
  } catch {
    return undefined;
  }
}
