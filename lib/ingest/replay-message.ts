import { sparkplugPathMapper } from "./ingest-settings";
import { parseUnsMessage } from "./parse-uns";
import { SparkplugHost } from "./sparkplug/host";
import type { TBatchMessage } from "./write-batch";

const sparkplugPrefix = "spBv1.0/";

/**
 * Parses a stored message again with the parsers the worker uses, for an admin's retry from
 * quarantine. UNS JSON needs nothing but the bytes. A Sparkplug message goes through a host with
 * no session: an NBIRTH carries everything it needs, but DATA and DBIRTH depend on the birth
 * before them (aliases, names, sequence), so they are quarantined again, never stored under a guess.
 */
export function parseForReplay(topic: string, payload: Buffer, receivedAt: number, sparkplugTemplate: string): TBatchMessage["outcome"] {
  if (topic.startsWith(sparkplugPrefix)) {
    const host = new SparkplugHost({ hostId: "shopfloor-replay", mapPath: sparkplugPathMapper(sparkplugTemplate) });
    const result = host.handle(topic, payload, receivedAt);
    if (result.quarantine) return { quarantine: `retried without the Sparkplug session: ${result.quarantine.reason}` };
    if (!result.records.length) return { quarantine: "retried: the message carries no values to store" };
    return { records: result.records };
  }
  const parsed = parseUnsMessage(topic, payload, receivedAt);
  return parsed.ok ? { records: parsed.records } : { quarantine: parsed.reason };
}
