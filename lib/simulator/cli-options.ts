import { parseArgs } from "node:util";
import { z } from "zod";
import { ingestLimits } from "../ingest/records";

/** `npm run simulate` flags and environment, parsed once and validated with zod. */

export const simulateUsage = [
  "usage: npm run simulate -- [--seed S] [--speed F] [--rate R] [--machines N] [--duration SEC]",
  "                           [--url mqtt://host:1883] [--no-sparkplug] [--start TIME] [--mqtt-version 4|5]",
  "  --seed S          PRNG seed; the same seed gives the same plant (default 42)",
  "  --speed F         time acceleration: 60 = a simulated hour per real minute (default 1)",
  "  --rate R          process-value messages per real second per machine (default 1)",
  "  --machines N      extra generated UNS machines under acme/detroit/extra/line-x (default 0)",
  "  --duration SEC    stop after SEC real seconds (default: until Ctrl-C)",
  "  --url URL         broker (default $MQTT_URL, else mqtt://127.0.0.1:1883)",
  "  --no-sparkplug    Assembly Line A speaks UNS JSON instead of Sparkplug B",
  "  --start TIME      simulated start: ISO date-time or an offset from now such as -8h, -90m (default now;",
  "                    write --start=-8h, a value starting with - needs the =);",
  "                    with --speed > 1 an earlier start keeps timestamps behind the clock (the ingest",
  "                    refuses more than 5 min ahead): --speed 60 --duration 480 --start=-8h ends now",
  "  --mqtt-version    MQTT protocol 4 (3.1.1, any broker) or 5 (default $MQTT_PROTOCOL_VERSION, else 4)",
].join("\n");

const mqttUrlPattern = /^(mqtts?|wss?|tcp|ssl):\/\/[^\s]+$/;
const mqttUrlHint = "must be an mqtt://, mqtts://, ws:// or wss:// URL";
const numberText = (name: string) => z.string().trim().regex(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, `${name} must be a number`).transform(Number);

const ZSimulateFlags = z.object({
  seed: numberText("--seed").pipe(z.number().int("--seed must be an integer").min(0, "--seed must be ≥ 0").max(4_294_967_295, "--seed must be < 2^32")).default(42),
  speed: numberText("--speed").pipe(z.number().positive("--speed must be > 0").max(100_000, "--speed must be at most 100000")).default(1),
  rate: numberText("--rate").pipe(z.number().positive("--rate must be > 0").max(1_000, "--rate must be at most 1000 messages per second")).default(1),
  machines: numberText("--machines").pipe(z.number().int("--machines must be an integer").min(0, "--machines must be ≥ 0").max(100_000, "--machines must be at most 100000")).default(0),
  duration: numberText("--duration").pipe(z.number().positive("--duration must be > 0 seconds")).optional(),
  url: z.string().regex(mqttUrlPattern, `--url ${mqttUrlHint}`).optional(),
  "no-sparkplug": z.boolean().default(false),
  start: z.string().refine((text) => parseStart(text, 0) !== undefined, "--start must be an ISO date-time such as 2025-11-25T06:00:00-05:00, or an offset from now such as -8h (written --start=-8h)").optional(),
  "mqtt-version": z.enum(["4", "5"], { error: "--mqtt-version must be 4 or 5" }).optional(),
  help: z.boolean().default(false),
});

const ZSimulateEnv = z.object({
  MQTT_URL: z.string().regex(mqttUrlPattern, mqttUrlHint).optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_PROTOCOL_VERSION: z.enum(["4", "5"], { error: "must be 4 or 5" }).optional(),
});

export type TSimulateOptions = {
  seed: number;
  speed: number;
  rate: number;
  machines: number;
  durationSec: number | undefined;
  url: string;
  username: string | undefined;
  password: string | undefined;
  protocolVersion: 4 | 5;
  sparkplug: boolean;
  startMs: number | undefined;
  help: boolean;
};

export type TParsedArgs = { ok: true; options: TSimulateOptions } | { ok: false; message: string };

export function parseSimulateArgs(argv: string[], env: Record<string, string | undefined>, nowMs: number = Date.now()): TParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: "string" }, speed: { type: "string" }, rate: { type: "string" }, machines: { type: "string" },
        duration: { type: "string" }, url: { type: "string" }, "no-sparkplug": { type: "boolean" }, start: { type: "string" },
        "mqtt-version": { type: "string" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : "invalid arguments" };
  }
  const flags = ZSimulateFlags.safeParse(values);
  if (!flags.success) return { ok: false, message: flags.error.issues.map((issue) => issue.message).join("; ") };
  const cleanedEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const environmentResult = ZSimulateEnv.safeParse(cleanedEnv);
  if (!environmentResult.success) {
    return { ok: false, message: environmentResult.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") };
  }
  const environment = environmentResult.data;
  const parsed = flags.data;
  const startMs = parsed.start === undefined ? undefined : parseStart(parsed.start, nowMs);
  if (startMs !== undefined && startMs < ingestLimits.minTimestampMs) return { ok: false, message: "--start must be after 2000-01-01 (the ingest refuses older timestamps)" };
  return {
    ok: true,
    options: {
      seed: parsed.seed,
      speed: parsed.speed,
      rate: parsed.rate,
      machines: parsed.machines,
      durationSec: parsed.duration,
      url: parsed.url ?? environment.MQTT_URL ?? "mqtt://127.0.0.1:1883",
      username: environment.MQTT_USERNAME,
      password: environment.MQTT_PASSWORD,
      protocolVersion: Number(parsed["mqtt-version"] ?? environment.MQTT_PROTOCOL_VERSION ?? "4") === 5 ? 5 : 4,
      sparkplug: !parsed["no-sparkplug"],
      startMs,
      help: parsed.help,
    },
  };
}

const offsetUnitMs: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO date-time, or a signed offset from now ("-8h", "-90m", "+30s"). */
export function parseStart(text: string, nowMs: number): number | undefined {
  const offset = /^([+-])(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (offset) {
    const [, sign, amount, unit] = offset;
    const ms = Number(amount) * (offsetUnitMs[unit ?? "s"] ?? 1_000);
    return Math.round(sign === "-" ? nowMs - ms : nowMs + ms);
  }
  // Date.parse accepts loose formats too; ask for at least a full date.
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}
