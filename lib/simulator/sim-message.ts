/** What the simulator publishes; `kind` and `time` (simulated epoch ms) are for summaries and tests. */
export type TMessageKind = "historian" | "state" | "count" | "planning" | "sparkplug-birth" | "sparkplug-data" | "sparkplug-death";

export type TSimMessage = { topic: string; payload: Buffer; qos: 0 | 1; kind: TMessageKind; time: number };

export const messageKinds: readonly TMessageKind[] = ["historian", "state", "count", "planning", "sparkplug-birth", "sparkplug-data", "sparkplug-death"];
