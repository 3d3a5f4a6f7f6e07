import pg from "pg";
import { z } from "zod";
import { getEnv } from "../env";

/** What the ingest worker sends on `shopfloor_ingest` after a commit (ingest-worker/pipeline.ts). */
export const ZIngestNotice = z.object({
  assetIds: z.array(z.guid()).max(1_000),
  at: z.iso.datetime({ offset: true }),
});

export type TIngestNotice = z.infer<typeof ZIngestNotice>;

/**
 * `resync`: notifications may have been missed (the connection dropped), so re-read everything.
 * `closing`: the server is shutting down; end the stream so it can (the browser reconnects later).
 */
export type TIngestEvent = { kind: "ingest"; notice: TIngestNotice } | { kind: "resync" } | { kind: "closing" };

type TListener = (event: TIngestEvent) => void;

export const ingestChannel = "shopfloor_ingest";
const reconnectDelaysMs = [250, 1_000, 2_000, 5_000, 10_000, 30_000];
// A half-open TCP connection sends no error; a cheap query now and then finds it.
const pingEveryMs = 30_000;
const pingTimeoutMs = 5_000;
// Page loads and navigation close a stream and open the next within a second or two; lingering
// saves a connect and LISTEN per page view, while an idle server still gives its connection back.
const lingerMs = 30_000;

/**
 * One LISTEN connection per web process, shared by every open event stream. It connects on
 * the first subscriber, reconnects with back-off when it drops, and closes a while after the last
 * subscriber leaves.
 */
class IngestEvents {
  private readonly listeners = new Set<TListener>();
  private client: pg.Client | null = null;
  /** Bumped whenever the current connection is given up, so callbacks of an old one do nothing. */
  private generation = 0;
  private running = false;
  private attempt = 0;
  private everConnected = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private shutdownHooked = false;

  subscribe(listener: TListener): () => void {
    this.listeners.add(listener);
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
    if (!this.running) this.start();
    this.hookShutdown();
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        if (this.listeners.size === 0) this.stop();
      }, lingerMs);
      this.lingerTimer.unref();
    };
  }

  /**
   * `next start` stops on SIGTERM only once every open request has ended, and an event stream
   * never ends by itself: end them all when the signal comes.
   */
  private hookShutdown() {
    if (this.shutdownHooked) return;
    this.shutdownHooked = true;
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      // Only beside a handler that exits (Next's); a lone listener of ours would keep the process alive.
      if (process.listenerCount(signal) === 0) continue;
      process.once(signal, () => {
        this.emit({ kind: "closing" });
        this.stop();
      });
    }
  }

  private start() {
    this.running = true;
    this.attempt = 0;
    this.everConnected = false;
    void this.connect();
  }

  private stop() {
    this.running = false;
    this.dropConnection();
  }

  private async connect() {
    const generation = ++this.generation;
    const client = new pg.Client({
      connectionString: getEnv().DATABASE_URL,
      application_name: "shopfloor-web:live",
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    this.client = client;
    const lost = (error?: unknown) => {
      if (generation !== this.generation) return;
      log("warn", "ingest listener lost its database connection; reconnecting", error);
      this.dropConnection();
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (message) => {
      if (generation !== this.generation || message.channel !== ingestChannel) return;
      const notice = parseNotice(message.payload);
      if (notice) this.emit({ kind: "ingest", notice });
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ingestChannel}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (generation !== this.generation) return;
    this.attempt = 0;
    // Whatever was committed while we were away was announced to nobody.
    if (this.everConnected) this.emit({ kind: "resync" });
    this.everConnected = true;
    this.pingTimer = setInterval(() => void ping(client).catch(lost), pingEveryMs);
    this.pingTimer.unref();
  }

  private dropConnection() {
    this.generation += 1;
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.pingTimer = null;
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("notification");
      // end() on a broken socket can still emit "error"; the old generation ignores it, but it needs a listener.
      client.on("error", () => undefined);
      void client.end().catch(() => undefined);
    }
  }

  private scheduleReconnect() {
    if (!this.running) return;
    const delay = reconnectDelaysMs[Math.min(this.attempt, reconnectDelaysMs.length - 1)]!;
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.running) void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private emit(event: TIngestEvent) {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        log("error", "ingest event listener failed", error);
      }
    }
  }
}

async function ping(client: pg.Client) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to a ping within ${pingTimeoutMs} ms`)), pingTimeoutMs);
  });
  try {
    await Promise.race([client.query("SELECT 1"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The notification's JSON, or null when it is not what the worker sends. */
export function parseNotice(payload: string | undefined): TIngestNotice | null {
  if (!payload) return null;
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const result = ZIngestNotice.safeParse(json);
  return result.success ? result.data : null;
}

function log(level: "warn" | "error", message: string, error?: unknown) {
  const detail = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  console[level](JSON.stringify({ event: "live", message, ...(detail ? { error: detail } : {}) }));
}

// On globalThis, so route bundles and dev reloads that each evaluate this module share one connection.
const globalForLive = globalThis as unknown as { shopfloorIngestEvents?: IngestEvents };

function ingestEvents(): IngestEvents {
  globalForLive.shopfloorIngestEvents ??= new IngestEvents();
  return globalForLive.shopfloorIngestEvents;
}

/** Calls `listener` for every ingest notification until the returned function is called. */
export function subscribeToIngest(listener: TListener): () => void {
  return ingestEvents().subscribe(listener);
}
