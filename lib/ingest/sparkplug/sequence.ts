/**
 * Per-edge-node Sparkplug `seq` tracking (0–255, wrapping). Messages are never held back: a time
 * series sink stores every valid message whatever its order (spec §5 "Reordering" leaves that to
 * the host), so this only remembers which seqs are missing and since when.
 *
 * The window is the last 128 seqs up to the highest one seen: a seq up to 127 ahead is a forward
 * jump (the ones skipped become missing), a seq behind is a late arrival (if missing) or a
 * redelivery (if already seen). Anything else cannot be placed in the stream.
 */

export type TSeqObservation =
  | { kind: "next" }
  | { kind: "gap"; missing: number }
  | { kind: "late" }
  | { kind: "duplicate" }
  | { kind: "unplaceable"; expected: number };

const windowSize = 128;

export class SequenceTracker {
  private last: number;
  private readonly seen = new Uint8Array(256);
  /** missing seq → time it was first missed. */
  private readonly missing = new Map<number, number>();
  /** A missing seq fell out of the window: it can no longer arrive in place. */
  private lost = false;

  constructor(birthSeq: number) {
    this.last = birthSeq;
    this.seen[birthSeq] = 1;
  }

  observe(seq: number, atMs: number): TSeqObservation {
    const ahead = (seq - this.last + 256) % 256;
    if (ahead === 0) return { kind: "duplicate" };
    if (ahead < windowSize) {
      for (let step = 1; step <= ahead; step++) {
        const position = (this.last + step) % 256;
        const leaving = (position + windowSize) % 256;
        this.seen[leaving] = 0;
        if (this.missing.delete(leaving)) this.lost = true;
        this.seen[position] = step === ahead ? 1 : 0;
        if (step < ahead) this.missing.set(position, atMs);
      }
      this.last = seq;
      return ahead === 1 ? { kind: "next" } : { kind: "gap", missing: ahead - 1 };
    }
    if (this.missing.delete(seq)) {
      this.seen[seq] = 1;
      return { kind: "late" };
    }
    if (this.seen[seq]) return { kind: "duplicate" };
    return { kind: "unplaceable", expected: (this.last + 1) % 256 };
  }

  /** Earliest time a still-missing seq was first missed, if any. */
  oldestMissingSince(): number | undefined {
    let oldest: number | undefined;
    for (const since of this.missing.values()) if (oldest === undefined || since < oldest) oldest = since;
    return oldest;
  }

  missingSeqs(): number[] {
    return [...this.missing.keys()];
  }

  /** True once after a missing seq dropped out of the window. */
  takeLost(): boolean {
    const lost = this.lost;
    this.lost = false;
    return lost;
  }

  /** After a rebirth request the coming NBIRTH restarts the stream; old gaps no longer matter. */
  forgetGaps(): void {
    this.missing.clear();
    this.lost = false;
  }
}
