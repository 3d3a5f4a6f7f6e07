import net from "node:net";

/**
 * A loopback TCP proxy the fault tests control: forward, cut every connection, or stall
 * (keep connections open but move no bytes), to imitate a flaky network between two real peers.
 */
export class TcpProxy {
  private server: net.Server;
  private pairs = new Set<{ client: net.Socket; upstream: net.Socket; held: { to: net.Socket; chunk: Buffer }[] }>();
  private stalled = false;
  private refusing = false;
  port = 0;

  constructor(private readonly targetHost: string, private readonly targetPort: number) {
    // No Nagle: the proxy forwards each chunk as its own write, and with Nagle on every
    // PostgreSQL commit through it would wait ~40 ms for delayed ACKs.
    this.server = net.createServer({ noDelay: true }, (client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** Drops every open connection (both directions, abruptly). */
  cut() {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  /** While refusing, new connections are closed at once (the peer looks down). */
  refuse(on: boolean) {
    this.refusing = on;
  }

  /** While stalled, bytes are held back in both directions; connections stay open. */
  stall(on: boolean) {
    this.stalled = on;
    if (on) return;
    for (const pair of this.pairs) {
      for (const { to, chunk } of pair.held.splice(0)) to.write(chunk);
    }
  }

  async close() {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket) {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ port: this.targetPort, host: this.targetHost, noDelay: true });
    const pair = { client, upstream, held: [] as { to: net.Socket; chunk: Buffer }[] };
    this.pairs.add(pair);
    const forward = (to: net.Socket) => (chunk: Buffer) => {
      if (this.stalled) pair.held.push({ to, chunk });
      else to.write(chunk);
    };
    client.on("data", forward(upstream));
    upstream.on("data", forward(client));
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  }
}
