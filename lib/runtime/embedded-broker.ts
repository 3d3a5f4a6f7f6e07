import net from "node:net";
import { Aedes } from "aedes";

export type TEmbeddedBroker = { url: string; port: number; close: () => Promise<void> };

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use, so the embedded MQTT broker cannot start. ` +
        `Stop whatever listens there, choose another port with SHOPFLOOR_MQTT_PORT=<port>, ` +
        `or use that broker with MQTT_URL=mqtt://127.0.0.1:${port}.`,
    );
    this.name = "PortInUseError";
  }
}

/**
 * An in-process MQTT 3.1.1 broker (aedes) on 127.0.0.1 for the demo and the tests.
 * aedes keeps queued QoS 1 messages without a per-client cap, so a fast stream is not
 * silently dropped the way Mosquitto's default max_queued_messages does.
 */
export async function startEmbeddedBroker(port: number, host = "127.0.0.1"): Promise<TEmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      broker.close();
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error);
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    port: boundPort,
    url: `mqtt://${host}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}
