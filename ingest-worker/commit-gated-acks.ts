import type { MqttClient } from "mqtt";

type TSendPacket = (packet: { cmd: string; messageId?: number }, cb?: (error?: Error) => void, ...rest: unknown[]) => void;
type TSlot = { messageId: number | undefined; generation: number; puback: { cmd: string } | null | "none"; committed: boolean };

/**
 * MQTT.js hands a connection's messages to our handler one at a time and writes the QoS 1 PUBACK
 * when the handler calls back, so acknowledging after the commit let through one message per
 * connection per commit (about 2,000 msg/s on one connection). This lets the handler call back
 * at once while the PUBACK MQTT.js then writes is held until the commit holding its message,
 * and released in arrival order (MQTT 3.1.1 §4.6, 5.0 §4.6). At most `window` messages per
 * connection wait; beyond that the handler's callback itself is held, MQTT.js stops reading and
 * TCP backpressure reaches the broker, so memory stays bounded when the database is slow or down.
 * A PUBACK whose connection closed is dropped: the broker redelivers and the insert is a no-op.
 */
export class CommitGatedAcks {
  private slots: TSlot[] = [];
  private awaitingPuback = new Map<number, TSlot>();
  private heldCallback: (() => void) | null = null;
  private generation = 0;
  private readonly send: TSendPacket;

  constructor(client: MqttClient, private readonly window: number) {
    const internals = client as unknown as { _sendPacket: TSendPacket };
    this.send = internals._sendPacket.bind(client);
    internals._sendPacket = (packet, cb, ...rest) => {
      const slot = packet.cmd === "puback" && packet.messageId !== undefined ? this.awaitingPuback.get(packet.messageId) : undefined;
      if (!slot) return this.send(packet, cb, ...rest);
      this.awaitingPuback.delete(packet.messageId!);
      slot.puback = packet;
      this.flush();
      cb?.();
    };
    client.on("close", () => {
      this.generation += 1;
      this.slots = [];
      this.awaitingPuback.clear();
      this.heldCallback = null;
    });
  }

  /** Messages admitted and not yet acknowledged (the gauge of what a slow database holds back). */
  get outstanding(): number {
    return this.slots.length;
  }

  /**
   * Takes a message MQTT.js just handed over (`done` is its handler callback) and returns the
   * function to call once the commit holding the message is done.
   */
  admit(packet: { qos: number; messageId?: number }, done: () => void): () => void {
    const slot: TSlot = { messageId: packet.messageId, generation: this.generation, puback: packet.qos > 0 ? null : "none", committed: false };
    if (slot.puback === null && slot.messageId !== undefined) this.awaitingPuback.set(slot.messageId, slot);
    const ahead = this.slots.length;
    this.slots.push(slot);
    if (ahead < this.window) done();
    else this.heldCallback = done;
    return () => {
      if (slot.generation !== this.generation) return;
      slot.committed = true;
      this.flush();
    };
  }

  private flush() {
    while (this.slots.length) {
      const head = this.slots[0]!;
      if (!head.committed || head.puback === null) break;
      this.slots.shift();
      if (head.puback !== "none") this.send(head.puback);
    }
    if (this.heldCallback && this.slots.length - 1 < this.window) {
      const release = this.heldCallback;
      this.heldCallback = null;
      release();
    }
  }
}
