import { describe, expect, it } from "vitest";
import { parseWorkerEnv } from "../ingest-worker/env";
import { EnvError, parseEnv, ZWebEnv } from "./env";

describe("configuration parsing", () => {
  const valid = { DATABASE_URL: "postgresql://u@localhost:5432/db" };

  it("applies the documented defaults", () => {
    const env = parseEnv(ZWebEnv, valid);
    expect(env.MQTT_URL).toBe("mqtt://127.0.0.1:1883");
    expect(env.SESSION_IDLE_MINUTES).toBe(480);
    expect(env.SHOPFLOOR_SECURE_COOKIES).toBe("auto");
  });

  it("names the variable and the bad value", () => {
    const parse = () => parseEnv(ZWebEnv, { ...valid, SESSION_IDLE_MINUTES: "soon" });
    expect(parse).toThrow(EnvError);
    expect(parse).toThrow(/SESSION_IDLE_MINUTES: .*\(got "soon"\)/);
  });

  it("says when a required variable is missing", () => {
    expect(() => parseEnv(ZWebEnv, {})).toThrow(/DATABASE_URL: is required/);
  });

  it("never echoes a password back", () => {
    expect(() => parseEnv(ZWebEnv, { ...valid, SHOPFLOOR_ADMIN_PASSWORD: "short" })).toThrow(/SHOPFLOOR_ADMIN_PASSWORD: .*\(got "\*\*\*"\)/);
  });

  it("treats an empty value as unset", () => {
    expect(parseEnv(ZWebEnv, { ...valid, MQTT_URL: "" }).MQTT_URL).toBe("mqtt://127.0.0.1:1883");
  });

  it("parses the worker's own variables", () => {
    expect(() => parseWorkerEnv({ ...valid, WORKER_HEARTBEAT_MS: "10" })).toThrow(/WORKER_HEARTBEAT_MS/);
    expect(() => parseWorkerEnv({ ...valid, MQTT_URL: "http://broker" })).toThrow(/MQTT_URL: must be an mqtt/);
    expect(parseWorkerEnv({ ...valid, MQTT_PROTOCOL_VERSION: "4" }).MQTT_PROTOCOL_VERSION).toBe(4);
  });
});
