import { EventEmitter } from "node:events";
import type { MqttClient } from "mqtt";
import { describe, expect, it } from "vitest";
import { CommitGatedAcks } from "./commit-gated-acks";

/** MQTT.js's side as CommitGatedAcks sees it: handlePublish writes the PUBACK when the handler calls back. */
function fakeConnection() {
  const written: number[] = [];
  const client = Object.assign(new EventEmitter(), {
    _sendPacket(packet: { cmd: string; messageId?: number }, cb?: () => void) {
      if (packet.cmd === "puback") written.push(packet.messageId!);
      cb?.();
    },
  });
  const acks = (window: number) => new CommitGatedAcks(client as unknown as MqttClient, window);
  /** One QoS 1 PUBLISH through handleMessage; resolves `next` when MQTT.js may read the next packet. */
  const deliver = (gate: CommitGatedAcks, messageId: number, qos = 1) => {
    let next = false;
    // QoS 0: MQTT.js's callback only reads on; QoS 1: it writes the PUBACK, then reads on.
    const done = qos === 0 ? () => (next = true) : () => client._sendPacket({ cmd: "puback", messageId }, () => (next = true));
    const commit = gate.admit({ qos, messageId }, done);
    return { commit, readsOn: () => next };
  };
  return { client, written, acks, deliver };
}

describe("CommitGatedAcks", () => {
  it("lets MQTT.js read on at once but writes each PUBACK only after its commit, in arrival order", () => {
    const { written, acks, deliver } = fakeConnection();
    const gate = acks(10);
    const [a, b, c] = [deliver(gate, 1), deliver(gate, 2), deliver(gate, 3)];
    expect([a.readsOn(), b.readsOn(), c.readsOn()]).toEqual([true, true, true]);
    expect(written).toEqual([]);
    b.commit();
    expect(written).toEqual([]); // 1 is not committed yet: 2 waits behind it
    a.commit();
    expect(written).toEqual([1, 2]);
    c.commit();
    expect(written).toEqual([1, 2, 3]);
    expect(gate.outstanding).toBe(0);
  });

  it("holds the handler callback once the window is full, so the broker's stream is backpressured", () => {
    const { written, acks, deliver } = fakeConnection();
    const gate = acks(2);
    const first = deliver(gate, 1);
    const second = deliver(gate, 2);
    const third = deliver(gate, 3);
    expect([first.readsOn(), second.readsOn(), third.readsOn()]).toEqual([true, true, false]);
    third.commit(); // committed with the others in one batch, yet its PUBACK follows theirs
    first.commit();
    expect(written).toEqual([1]);
    expect(third.readsOn()).toBe(true);
    second.commit();
    expect(written).toEqual([1, 2, 3]);
  });

  it("drops PUBACKs of a connection that closed (the broker redelivers; the insert is a no-op)", () => {
    const { client, written, acks, deliver } = fakeConnection();
    const gate = acks(4);
    const old = deliver(gate, 7);
    client.emit("close");
    old.commit();
    const fresh = deliver(gate, 7);
    fresh.commit();
    expect(written).toEqual([7]);
    expect(gate.outstanding).toBe(0);
  });

  it("keeps QoS 0 messages in order and in the window without writing a PUBACK", () => {
    const { written, acks, deliver } = fakeConnection();
    const gate = acks(1);
    const zero = deliver(gate, 0, 0);
    const one = deliver(gate, 5);
    expect(one.readsOn()).toBe(false);
    one.commit();
    expect(written).toEqual([]);
    zero.commit();
    expect(written).toEqual([5]);
  });
});
