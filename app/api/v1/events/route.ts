import { isPathInScope, siteScopeOf, type TSiteScope } from "@/lib/auth/site-scope";
import { getDb } from "@/lib/db";
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

/** `visible`: the asset ids the caller may know of; null for every asset. Notices about none of them are not sent. */
function serialize(event: Exclude<TIngestEvent, { kind: "closing" }>, visible: ReadonlySet<string> | null): string | null {
  if (event.kind === "resync") return "event: resync\ndata: {}\n\n";
  const assetIds = visible ? event.notice.assetIds.filter((id) => visible.has(id)) : event.notice.assetIds;
  return assetIds.length ? `event: ingest\ndata: ${JSON.stringify({ ...event.notice, assetIds })}\n\n` : null;
}

/** Server-sent events: `ingest` after each ingest commit (which assets changed), `resync` after a gap. */
export const GET = route({ access: "VIEWER" }, async ({ request, caller }) => {
  // Fixed when the stream opens; the stream ends every few minutes, so assets added later are picked up on reconnect.
  const visible = await visibleAssetIds(siteScopeOf(caller));
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
      const unsubscribe = subscribeToIngest((event) => {
        if (event.kind === "closing") return close();
        const text = serialize(event, visible);
        if (text) send(text);
      });
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

async function visibleAssetIds(scope: TSiteScope): Promise<ReadonlySet<string> | null> {
  if (scope === null) return null;
  const assets = await getDb().asset.findMany({ where: { OR: scope.map((site) => ({ path: { startsWith: site } })) }, select: { id: true, path: true } });
  return new Set(assets.filter((asset) => isPathInScope(scope, asset.path)).map((asset) => asset.id));
}
