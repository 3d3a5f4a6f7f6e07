import { describe, expect, it } from "vitest";
import { parseSimulateArgs, parseStart } from "./cli-options";

const now = Date.UTC(2025, 10, 25, 13, 0);

describe("simulate CLI options", () => {
  it("has sensible defaults and reads the broker from the environment", () => {
    expect(parseSimulateArgs([], {}, now)).toEqual({
      ok: true,
      options: {
        seed: 42, speed: 1, rate: 1, machines: 0, durationSec: undefined, url: "mqtt://127.0.0.1:1883",
        username: undefined, password: undefined, protocolVersion: 4, sparkplug: true, startMs: undefined, help: false,
      },
    });
    const fromEnv = parseSimulateArgs([], { MQTT_URL: "mqtt://broker:1884", MQTT_PROTOCOL_VERSION: "5", MQTT_USERNAME: "" }, now);
    expect(fromEnv.ok && fromEnv.options).toMatchObject({ url: "mqtt://broker:1884", protocolVersion: 5, username: undefined });
  });

  it("parses every flag", () => {
    const parsed = parseSimulateArgs(
      ["--seed", "7", "--speed", "60", "--rate", "2.5", "--machines", "100", "--duration", "10", "--url", "mqtt://x:1", "--no-sparkplug", "--start=-8h", "--mqtt-version", "5"],
      { MQTT_URL: "mqtt://ignored" }, now,
    );
    expect(parsed).toEqual({
      ok: true,
      options: {
        seed: 7, speed: 60, rate: 2.5, machines: 100, durationSec: 10, url: "mqtt://x:1", username: undefined, password: undefined,
        protocolVersion: 5, sparkplug: false, startMs: now - 8 * 3_600_000, help: false,
      },
    });
  });

  it.each([
    [["--speed", "0"], "--speed must be > 0"],
    [["--rate", "fast"], "--rate must be a number"],
    [["--machines", "2.5"], "--machines must be an integer"],
    [["--seed=-1"], "--seed must be ≥ 0"],
    [["--url", "http://broker"], "--url must be an mqtt://"],
    [["--start", "yesterday"], "--start must be an ISO date-time"],
    [["--start=1990-01-01T00:00:00Z"], "--start must be after 2000-01-01"],
    [["--mqtt-version", "3"], "--mqtt-version must be 4 or 5"],
    [["--frobnicate"], "Unknown option '--frobnicate'"],
    [["--speed"], "argument missing"],
    [["positional"], "Unexpected argument 'positional'"],
  ])("refuses %j with a clear message", (argv, message) => {
    const parsed = parseSimulateArgs(argv, {}, now);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });

  it("names a bad environment variable", () => {
    const parsed = parseSimulateArgs([], { MQTT_URL: "localhost:1883" }, now);
    expect(parsed.ok ? "" : parsed.message).toBe("MQTT_URL: must be an mqtt://, mqtts://, ws:// or wss:// URL");
  });

  it("reads start times as ISO or as offsets from now", () => {
    expect(parseStart("2025-11-25T06:00:00-05:00", now)).toBe(Date.UTC(2025, 10, 25, 11));
    expect(parseStart("-90m", now)).toBe(now - 90 * 60_000);
    expect(parseStart("+1d", now)).toBe(now + 86_400_000);
    expect(parseStart("tomorrow", now)).toBeUndefined();
  });
});
