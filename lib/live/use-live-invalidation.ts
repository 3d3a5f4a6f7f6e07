"use client";

import { type Query, type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import type { TAssetNode } from "../assets/find-asset-tree";
import type { TLatestAsset } from "../assets/find-latest-values";
import { queryKeys } from "../query-keys";

const eventsUrl = "/api/v1/events";
/** At most four rounds of invalidation a second, however many notifications arrive. */
const minFlushGapMs = 250;
const analyticsGapMs = 5_000;
/** How soon to look again when a query to invalidate is still fetching. */
const busyRecheckMs = 50;
// The browser retries a dropped stream by itself, but gives up for good on an HTTP error (a
// restarting server behind a proxy answers 502); then we open a new one, backing off.
const reopenDelaysMs = [2_000, 5_000, 15_000, 30_000, 60_000];

type TResync = "none" | "latest" | "all";

/**
 * One EventSource per page, shared by every component that uses live data, and the one place
 * that turns its events into react-query invalidations of exactly the assets named.
 */
class LiveEvents {
  private source: EventSource | null = null;
  private readonly clients = new Map<QueryClient, number>();
  private readonly connectedListeners = new Set<() => void>();
  private connected = false;
  private opened = false;
  private pendingAssetIds = new Set<string>();
  private pendingResync: TResync = "none";
  private lastFlushAt = 0;
  private lastAnalyticsAt = 0;
  private analyticsTimer: ReturnType<typeof setTimeout> | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenAttempt = 0;
  /** New assets that set off a tree refresh once; they are not chased again. */
  private readonly unknownAssetIds = new Set<string>();

  attach = (client: QueryClient) => {
    this.clients.set(client, (this.clients.get(client) ?? 0) + 1);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.closeTimer = null;
    if (!this.source && !this.reopenTimer) this.open();
    return () => {
      const count = (this.clients.get(client) ?? 1) - 1;
      if (count > 0) this.clients.set(client, count);
      else this.clients.delete(client);
      // A moment's grace: React's dev double mount and page-to-page navigation keep the same stream.
      if (this.clients.size === 0) this.closeTimer = setTimeout(this.close, 1_000);
    };
  };

  subscribeConnected = (listener: () => void) => {
    this.connectedListeners.add(listener);
    return () => void this.connectedListeners.delete(listener);
  };

  isConnected = () => this.connected;

  private open() {
    const source = new EventSource(eventsUrl);
    this.source = source;
    source.addEventListener("open", () => {
      this.reopenAttempt = 0;
      this.setConnected(true);
      // Anything committed before the stream opened (or while it was down) was announced to nobody.
      this.requestResync(this.opened ? "all" : "latest");
      this.opened = true;
    });
    source.addEventListener("ingest", (event) => {
      for (const assetId of parseAssetIds(event.data)) this.pendingAssetIds.add(assetId);
      this.scheduleFlush();
    });
    source.addEventListener("resync", () => this.requestResync("all"));
    source.addEventListener("error", () => {
      this.setConnected(false);
      if (source.readyState !== EventSource.CLOSED || this.source !== source) return;
      this.source = null;
      const delay = reopenDelaysMs[Math.min(this.reopenAttempt, reopenDelaysMs.length - 1)]!;
      this.reopenAttempt += 1;
      this.reopenTimer = setTimeout(() => {
        this.reopenTimer = null;
        if (this.clients.size > 0) this.open();
      }, delay);
    });
  }

  private close = () => {
    this.closeTimer = null;
    if (this.clients.size > 0) return;
    this.source?.close();
    this.source = null;
    for (const timer of [this.reopenTimer, this.flushTimer]) if (timer) clearTimeout(timer);
    this.reopenTimer = null;
    this.flushTimer = null;
    this.opened = false;
    this.pendingAssetIds.clear();
    this.pendingResync = "none";
    this.setConnected(false);
  };

  private setConnected(connected: boolean) {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.connectedListeners) listener();
  }

  private requestResync(scope: Exclude<TResync, "none">) {
    if (scope === "all" || this.pendingResync === "none") this.pendingResync = scope;
    this.scheduleFlush();
  }

  private scheduleFlush() {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(this.flush, Math.max(0, this.lastFlushAt + minFlushGapMs - Date.now()));
  }

  private flush = () => {
    this.flushTimer = null;
    const plans = [...this.clients.keys()].map((client) => ({ client, targets: this.targets(client) }));
    // Invalidating a query while it fetches would cancel that fetch (and, under a steady stream of
    // events, every later one); wait for it to land, then fetch again with what it may have missed.
    if (plans.some((plan) => plan.targets.some((query) => query.state.fetchStatus === "fetching"))) {
      this.flushTimer = setTimeout(this.flush, busyRecheckMs);
      return;
    }
    this.lastFlushAt = Date.now();
    // OEE and stop lists are computed over whole ranges: refresh them on new data, at most every few seconds.
    const refreshAnalytics = this.pendingAssetIds.size > 0 && this.lastFlushAt - this.lastAnalyticsAt >= analyticsGapMs;
    if (refreshAnalytics) this.lastAnalyticsAt = this.lastFlushAt;
    else if (this.pendingAssetIds.size > 0 && !this.analyticsTimer) {
      // Too soon after the last refresh: do it when the gap has passed, so the last data is not left out.
      this.analyticsTimer = setTimeout(() => {
        this.analyticsTimer = null;
        this.lastAnalyticsAt = Date.now();
        for (const client of this.clients.keys()) void client.invalidateQueries({ queryKey: queryKeys.analytics.all() }, { cancelRefetch: false });
      }, analyticsGapMs - (this.lastFlushAt - this.lastAnalyticsAt));
    }
    this.pendingAssetIds = new Set();
    this.pendingResync = "none";
    for (const { client, targets } of plans) {
      for (const query of targets) void client.invalidateQueries({ queryKey: query.queryKey, exact: true }, { cancelRefetch: false });
      if (refreshAnalytics) void client.invalidateQueries({ queryKey: queryKeys.analytics.all() }, { cancelRefetch: false });
    }
  };

  /** The cached queries that show any of the pending assets. */
  private targets(client: QueryClient): Query[] {
    const cache = client.getQueryCache();
    const latest = cache.findAll({ queryKey: queryKeys.assets.latestAll() });
    const tree = cache.find({ queryKey: queryKeys.assets.tree(), exact: true });
    if (this.pendingResync === "all") return tree ? [tree, ...latest] : latest;
    if (this.pendingResync === "latest") return latest;

    const targets = new Set<Query>();
    const known = new Set<string>();
    for (const query of latest) {
      const data = query.state.data as TLatestAsset[] | undefined;
      if (!data) continue;
      let shows = false;
      for (const asset of data) {
        known.add(asset.assetId);
        if (this.pendingAssetIds.has(asset.assetId)) shows = true;
      }
      if (shows) targets.add(query);
    }
    const treeIds = treeAssetIds(tree?.state.data as TAssetNode[] | undefined);
    const unknown = [...this.pendingAssetIds].filter((id) => !known.has(id) && !treeIds.has(id) && !this.unknownAssetIds.has(id));
    if (unknown.length && tree) {
      // An asset nobody has seen: the worker registered a new machine. Show it, once.
      for (const id of unknown) this.unknownAssetIds.add(id);
      return [tree, ...latest];
    }
    return [...targets];
  }
}

function treeAssetIds(forest: TAssetNode[] | undefined): Set<string> {
  const ids = new Set<string>();
  const visit = (node: TAssetNode) => {
    ids.add(node.id);
    node.children.forEach(visit);
  };
  forest?.forEach(visit);
  return ids;
}

function parseAssetIds(data: unknown): string[] {
  if (typeof data !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(data);
    const assetIds = typeof parsed === "object" && parsed !== null && "assetIds" in parsed ? parsed.assetIds : null;
    return Array.isArray(assetIds) ? assetIds.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

const liveEvents = new LiveEvents();

/**
 * Keeps this page's asset queries current from the server's event stream (no polling).
 * `connected` is true while the stream is open; a broken stream shows nothing else.
 */
export function useLiveInvalidation(): { connected: boolean } {
  const queryClient = useQueryClient();
  useEffect(() => liveEvents.attach(queryClient), [queryClient]);
  const connected = useSyncExternalStore(liveEvents.subscribeConnected, liveEvents.isConnected, () => false);
  return { connected };
}
