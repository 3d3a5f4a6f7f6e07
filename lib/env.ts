import { z } from "zod";

/**
 * The web app's configuration, parsed once. Nothing else in the web app reads process.env.
 * A bad value stops the process with a message naming the variable (see instrumentation.ts).
 */
const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** Database and broker settings, shared by the web app's and the worker's configuration. */
export const connectionEnv = {
  DATABASE_URL: z
    .string({ error: "is required (postgresql://user:pass@host:5432/db)" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp|ssl):\/\//, "must be an mqtt://, mqtts://, ws:// or wss:// URL")
    .default("mqtt://127.0.0.1:1883"),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
};

export const ZWebEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  ...connectionEnv,
  /** Minutes without a request after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(480),
  /** Hours after sign-in after which a session ends whatever the activity. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Seconds after which a worker heartbeat counts as stale in health. */
  WORKER_STALE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** auto: Secure + __Host- cookie when the request arrived over HTTPS. */
  SHOPFLOOR_SECURE_COOKIES: z.union([z.literal("auto"), booleanString]).default("auto"),
  SHOPFLOOR_ADMIN_EMAIL: z.email("must be an e-mail address").optional(),
  SHOPFLOOR_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
});

export type TWebEnv = z.infer<typeof ZWebEnv>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment with a zod object schema; errors name each variable. */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
): z.infer<TSchema> {
  // Treat empty strings as unset so `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = issue.path.join(".") || "(environment)";
      const got = typeof issue.path[0] === "string" ? cleaned[issue.path[0]] : undefined;
      const shown = got === undefined ? "" : ` (got ${JSON.stringify(name.includes("PASSWORD") ? "***" : got)})`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

let cached: TWebEnv | undefined;

export function getEnv(): TWebEnv {
  cached ??= parseEnv(ZWebEnv, process.env);
  return cached;
}
