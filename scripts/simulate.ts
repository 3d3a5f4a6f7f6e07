/**
 * `npm run simulate`: the seeded demo plant publishing to an MQTT broker in (accelerated) real
 * time. UNS JSON over QoS 1 on one connection; Assembly Line A as a Sparkplug B edge node on its
 * own connection (Clean Start, NDEATH will, QoS 0 data, births again after every reconnect and on
 * an NCMD rebirth request). Ctrl-C or --duration ends it with an NDEATH.
 */
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { parseSimulateArgs, simulateUsage, type TSimulateOptions } from "../lib/simulator/cli-options";
import { PlantModel } from "../lib/simulator/plant-model";
import { messageKinds, type TMessageKind, type TSimMessage } from "../lib/simulator/sim-message";

const tickMs = 100;
const summaryEveryMs = 10_000;
/** How long a graceful stop waits for QoS 1 acknowledgements before giving up. */
const drainTimeoutMs = 5_000;
/** The UNS parser refuses timestamps further ahead of its clock than this. */
const ingestFutureSkewMs = 5 * 60_000;

const shortKind: Record<TMessageKind, string> = {
  historian: "historian", state: "state", count: "count", planning: "planning",
  "sparkplug-birth": "spb-birth", "sparkplug-data": "spb-data", "sparkplug-death": "spb-death",
};

function log(line: string) {
  process.stdout.write(`[simulate] ${line}\n`);
}

function main() {
  const parsed = parseSimulateArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`simulate: ${parsed.message}\n${simulateUsage}\n`);
    process.exit(2);
  }
  const options = parsed.options;
  if (options.help) {
    process.stdout.write(`${simulateUsage}\n`);
    return;
  }
  run(options);
}

function run(options: TSimulateOptions) {
  const realStart = Date.now();
  const startMs = options.startMs ?? realStart;
  const model = new PlantModel({
    seed: options.seed,
    startMs,
    extraMachines: options.machines,
    // --rate is per real second, so one sample covers speed/rate simulated seconds.
    sampleIntervalMs: (1_000 * options.speed) / options.rate,
    sparkplug: options.sparkplug,
  });
  const simNow = () => Math.floor(startMs + (Date.now() - realStart) * options.speed);
  const zone = model.schedule.timeZone;

  log(`seed ${options.seed}, ${model.machines.length} machines, speed ×${options.speed}, ${options.rate} process-value msg/s per machine, broker ${options.url} (MQTT ${options.protocolVersion === 5 ? "5" : "3.1.1"})`);
  log(`simulated start ${formatLocal(startMs, zone)} ${zone}${options.sparkplug ? "; Assembly Line A via Sparkplug B spBv1.0/acme/+/detroit-line-a" : ""}`);
  if (options.speed > 1) {
    const finalLead = options.durationSec === undefined ? Infinity : startMs + options.durationSec * 1_000 * options.speed - (realStart + options.durationSec * 1_000);
    if (finalLead > ingestFutureSkewMs) {
      const afterSec = Math.max(0, (ingestFutureSkewMs - (startMs - realStart)) / (options.speed - 1) / 1_000);
      log(`warning: simulated time runs ahead of the clock; after ~${Math.round(afterSec)} s the ingest will refuse timestamps more than 5 min ahead (use --start in the past)`);
    }
  }

  const base: IClientOptions = {
    protocolVersion: options.protocolVersion,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
  };
  const counts = new Map<TMessageKind, number>(messageKinds.map((kind) => [kind, 0]));
  const totals = new Map<TMessageKind, number>(messageKinds.map((kind) => [kind, 0]));

  const uns = mqtt.connect(options.url, { ...base, clientId: `shopfloor-sim-${options.seed}-${process.pid}`, clean: true });
  watch(uns, "uns");

  const edge = model.sparkplug;
  let spb: MqttClient | undefined;
  if (edge) {
    const client = mqtt.connect(options.url, {
      ...base,
      clientId: `shopfloor-sim-${edge.edgeNode}`,
      // Sparkplug: Clean Start, no session; DATA is never queued across a reconnect (births restart seq).
      clean: true,
      queueQoSZero: false,
      will: edge.nextConnection(),
    });
    // MQTT.js reads options.will on every (re)connect: each connection gets the next bdSeq.
    client.on("reconnect", () => {
      client.options.will = edge.nextConnection();
    });
    client.on("close", () => edge.markOffline());
    client.on("connect", () => {
      client.subscribe(edge.commandTopic(), { qos: 1 }, (error) => {
        if (error) log(`sparkplug: subscribing to ${edge.commandTopic()} failed: ${error.message}`);
        publishAll(edge.births(simNow()));
        log(`sparkplug: NBIRTH + ${edge.deviceIds().length} DBIRTH sent (bdSeq ${edge.currentBdSeq})`);
      });
    });
    client.on("message", (topic, payload) => {
      const births = edge.handleCommand(topic, payload, simNow());
      if (births.length) log(`sparkplug: rebirth requested, births sent again (bdSeq ${edge.currentBdSeq})`);
      publishAll(births);
    });
    watch(client, "sparkplug");
    spb = client;
  }

  function publishAll(messages: TSimMessage[]) {
    for (const message of messages) {
      const client = message.topic.startsWith("spBv1.0/") ? spb : uns;
      if (!client) continue;
      client.publish(message.topic, message.payload, { qos: message.qos });
      counts.set(message.kind, (counts.get(message.kind) ?? 0) + 1);
    }
  }

  const tick = setInterval(() => publishAll(model.step(simNow())), tickMs);
  let lastSummaryAt = Date.now();
  const summary = setInterval(() => {
    const now = Date.now();
    const seconds = (now - lastSummaryAt) / 1_000;
    lastSummaryAt = now;
    let total = 0;
    const parts: string[] = [];
    for (const kind of messageKinds) {
      const count = counts.get(kind) ?? 0;
      totals.set(kind, (totals.get(kind) ?? 0) + count);
      counts.set(kind, 0);
      total += count;
      if (count || kind === "historian" || (kind === "sparkplug-data" && edge)) parts.push(`${shortKind[kind]} ${(count / seconds).toFixed(1)}`);
    }
    const link = [`uns ${uns.connected ? "up" : "down"}`, ...(spb ? [`sparkplug ${spb.connected ? "up" : "down"}`] : [])].join(", ");
    log(`sim ${formatLocal(simNow(), zone)} | ${(total / seconds).toFixed(1)} msg/s (${parts.join(", ")}) | ${link}`);
  }, summaryEveryMs);

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) {
      log("second signal: exiting at once");
      process.exit(1);
    }
    stopping = true;
    clearInterval(tick);
    clearInterval(summary);
    clearTimeout(durationTimer);
    log(`stopping (${reason})`);
    // A graceful Sparkplug shutdown sends NDEATH itself: a clean DISCONNECT suppresses the will.
    if (edge && spb?.connected) publishAll([edge.death(simNow())]);
    for (const [kind, count] of counts) totals.set(kind, (totals.get(kind) ?? 0) + count);
    const clients = [uns, ...(spb ? [spb] : [])];
    const forced = setTimeout(() => {
      log("broker did not acknowledge everything in time; closing anyway");
      for (const client of clients) client.end(true);
    }, drainTimeoutMs);
    void Promise.all(clients.map((client) => new Promise<void>((resolve) => client.end(false, {}, () => resolve())))).then(() => {
      clearTimeout(forced);
      const seconds = (Date.now() - realStart) / 1_000;
      const sum = [...totals.values()].reduce((a, b) => a + b, 0);
      log(`published ${sum} messages in ${seconds.toFixed(1)} s (${messageKinds.filter((kind) => totals.get(kind)).map((kind) => `${shortKind[kind]} ${totals.get(kind)}`).join(", ")})`);
    });
  };
  const durationTimer = options.durationSec === undefined ? undefined : setTimeout(() => stop(`--duration ${options.durationSec} s`), options.durationSec * 1_000);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** Logs connection changes once each, not every failed reconnect attempt. */
function watch(client: MqttClient, name: string) {
  let lastError = "";
  let wasConnected = false;
  client.on("connect", () => {
    log(`${name}: connected${wasConnected ? " again" : ""}`);
    wasConnected = true;
    lastError = "";
  });
  const queued = name === "uns" ? "messages are queued" : "data is dropped until the next birth";
  client.on("offline", () => log(`${name}: broker unreachable, reconnecting every second (${queued})`));
  client.on("error", (error) => {
    if (error.message !== lastError) log(`${name}: ${error.message}`);
    lastError = error.message;
  });
}

function formatLocal(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone, dateStyle: "short", timeStyle: "medium" }).format(new Date(ms));
}

main();
