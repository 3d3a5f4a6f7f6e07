/**
 * Benchmark load generator (a child process, so it does not share the worker's CPU time slice):
 *   tsx scripts/bench/publisher.ts <url> <enterprise> <messages> <valuesPerMessage> <ratePerSecond|0> <connections>
 * Publishes UNS _historian messages with QoS 1 over several connections, spread across 20
 * machines; timestamp_ms is the publish time (so the worker can measure publish→commit) and
 * unique per machine. Prints one JSON line when done.
 */
import mqtt, { type MqttClient } from "mqtt";

const [url = "mqtt://127.0.0.1:1883", enterprise = "bench", messagesArg = "10000", valuesArg = "1", rateArg = "0", connectionsArg = "4", protocolArg = "5"] = process.argv.slice(2);
const messages = Number(messagesArg);
const values = Number(valuesArg);
const rate = Number(rateArg);
const connectionCount = Number(connectionsArg);
const machines = 20;
const windowPerConnection = 200;

async function main() {
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: connectionCount }, (_, index) =>
      mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}-${index}`, protocolVersion: protocolArg === "4" ? 4 : 5, clean: true }),
    ),
  );
  const lastTime = new Array<number>(machines).fill(0);
  const started = Date.now();
  let sent = 0;
  // Each connection keeps a window of unacknowledged publishes in flight.
  await Promise.all(clients.map(async (client, clientIndex) => {
    const inFlight = new Set<Promise<unknown>>();
    for (let index = clientIndex; index < messages; index += connectionCount) {
      if (rate > 0) {
        const due = started + (index / rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const machine = index % machines;
      // Unique per machine even when several messages fall in the same millisecond.
      const time = Math.max(Date.now(), lastTime[machine]! + 1);
      lastTime[machine] = time;
      const body: Record<string, number> = { timestamp_ms: time };
      for (let value = 0; value < values; value += 1) body[`v${value}`] = (index % 1000) + value / 10;
      const publish = client.publishAsync(`umh/v1/${enterprise}/site/area/line/m-${machine}/_historian`, JSON.stringify(body), { qos: 1 });
      inFlight.add(publish);
      void publish.finally(() => inFlight.delete(publish));
      sent += 1;
      if (inFlight.size >= windowPerConnection) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  }));
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(clients.map((client) => client.endAsync()));
  process.stdout.write(`${JSON.stringify({ sent, seconds: elapsed, rate: sent / elapsed })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
