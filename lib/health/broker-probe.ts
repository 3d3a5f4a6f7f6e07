import mqtt from "mqtt";

type TProbeOptions = { url: string; username?: string; password?: string; timeoutMs?: number };

/** Connects to the broker and disconnects: true when it answered CONNACK in time. */
export function probeBroker({ url, username, password, timeoutMs = 2000 }: TProbeOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, {
      username, password, reconnectPeriod: 0, connectTimeout: timeoutMs,
      clientId: `shopfloor-health-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    });
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      client.end(true);
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    client.once("connect", () => finish(true));
    client.once("error", () => finish(false));
    client.once("close", () => finish(false));
  });
}
