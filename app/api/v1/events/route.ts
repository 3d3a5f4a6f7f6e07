import { route } from "@/lib/http/route";
import { type TIngestEvent, subscribeToIngest } from "@/lib/live/ingest-events";

export const dynamic = "force-dynamic";

const keepAliveMs = 15_000;
// The caller is checked when the stream opens; ending it now and then makes the browser's
// automatic reconnect check again, so a signed-out or disabled user stops receiving events.
const maxStreamMs = 10 * 60_000;
// A client that stopped reading (but kept the socket) must not make the server queue without end.
const maxQueuedChunks = 200;

const encoder = new TextEncoder();

function serialize(event: Exclude<TIngestEvent, { kind: "closing" }>): string {
  return event.kind === "ingest" ? `event: ingest\ndata: ${JSON.stringify(event.notice)}\n\n` : "event: resync\ndata: {}\n\n";
}

/** Server-sent events: `ingest` after each ingest commit (which assets changed), `resync` after a gap. */
export const GET = route({ access: "VIEWER" }, async ({ request }) => {
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        if ((controller.desiredSize ?? 0) < -maxQueuedChunks) {
          close();
          return;
        }
        controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = subscribeToIngest((event) => (event.kind === "closing" ? close() : send(serialize(event))));
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), keepAliveMs);
      const lifetime = setTimeout(() => close(), maxStreamMs);
      close = () => {
        if (closed) return;
        closed = true;
        clearInterval(keepAlive);
        clearTimeout(lifetime);
        unsubscribe();
        request.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // Already cancelled by the consumer.
        }
      };
      request.signal.addEventListener("abort", close);
      if (request.signal.aborted) close();
      // The first bytes make the browser report the stream open; `retry` sets its reconnect delay.
      send("retry: 2000\n: connected\n\n");
    },
    cancel() {
      close();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
});
