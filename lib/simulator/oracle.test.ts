import { describe, expect, it } from "vitest";
import { checkSeqs, compareSeqs, seqsBySource } from "./oracle";
import { PlantModel } from "./plant-model";
import type { TSimMessage } from "./sim-message";

const start = Date.UTC(2025, 10, 25, 13, 0);

function published(minutes: number): TSimMessage[] {
  const model = new PlantModel({ seed: 7, startMs: start });
  const edge = model.sparkplug;
  if (!edge) throw new Error("no edge node");
  edge.nextConnection();
  return [...edge.births(start), ...model.step(start + minutes * 60_000)];
}

describe("seq oracle", () => {
  it("finds lost and duplicated messages per source, UNS and Sparkplug alike", () => {
    const sent = published(5);
    const press = "acme/detroit/press-shop/line-1/press-1";
    const station = "acme/detroit-line-a/station-2";
    let pressSeen = 0;
    let stationSeen = 0;
    const received: TSimMessage[] = [];
    for (const message of sent) {
      if (message.topic === `umh/v1/${press}/_historian` && ++pressSeen === 10) continue; // lost
      if (message.topic === "spBv1.0/acme/DDATA/detroit-line-a/station-2" && ++stationSeen === 3) received.push(message); // redelivered
      received.push(message);
    }
    const report = compareSeqs(seqsBySource(sent), seqsBySource(received));
    expect(report.get(press)).toEqual({ lost: [10], duplicated: [], unexpected: [] });
    expect(report.get(station)).toEqual({ lost: [], duplicated: [3], unexpected: [] });
    expect(report.get("acme/detroit/machining/cnc-line/cnc-1")).toEqual({ lost: [], duplicated: [], unexpected: [] });
  });

  it("reports gaps and doubles in one source's seqs", () => {
    expect(checkSeqs([1, 2, 2, 5])).toEqual({ count: 4, first: 1, last: 5, missing: [3, 4], duplicates: [2] });
    expect(checkSeqs([])).toEqual({ count: 0, first: undefined, last: undefined, missing: [], duplicates: [] });
  });

  it("ignores messages without seqs", () => {
    const seqs = seqsBySource([
      { topic: "umh/v1/acme/_analytics/state", payload: Buffer.from('{"timestamp_ms":1,"state":10000}') },
      { topic: "umh/v1/acme/_historian", payload: Buffer.from("not json") },
      { topic: "spBv1.0/acme/DDATA/node/device", payload: Buffer.alloc(0) },
    ]);
    expect(seqs.size).toBe(0);
  });
});
