"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import type { TAssetNode } from "@/lib/assets/find-asset-tree";
import { sparkplugPathMapper, sparkplugTemplateProblem } from "@/lib/ingest/ingest-settings";
import { base64ToBytes, payloadText } from "@/lib/quarantine/payload-text";
import { queryKeys } from "@/lib/query-keys";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TTab = "unmapped" | "settings" | "quarantine";
type TStatus = "pending" | "ignored" | "rejected" | "mapped" | "all";
type TUnmapped = {
  path: string; exampleTopic: string; firstSeenAt: string; lastSeenAt: string; messageCount: number;
  status: Exclude<TStatus, "all">; mappedTo: { id: string; name: string; path: string } | null;
};
type TSettings = { autoRegister: boolean; sparkplugPathTemplate: string };
type TQuarantined = {
  id: string; receivedAt: string; topic: string; reason: string; payloadBase64: string;
  storedBytes: number; payloadBytes: number; retryHint: string | null;
};
type TQuarantinePage = { data: TQuarantined[]; meta: { total: number; nextBefore: string | null } };

const tabs: { id: TTab; label: string }[] = [
  { id: "unmapped", label: "Unmapped topics" },
  { id: "settings", label: "Settings" },
  { id: "quarantine", label: "Quarantine" },
];
const statusLabels: Record<TStatus, string> = { pending: "Waiting for a decision", ignored: "Ignored", rejected: "Rejected", mapped: "Mapped", all: "All" };
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const when = (iso: string) => dateTime.format(new Date(iso));
const topicUrl = (path: string, action: string) => `/api/v1/topics/unmapped/${encodeURIComponent(path)}/${action}`;

function ErrorLine({ error }: { error: Error | null }) {
  return error ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">{error.message}</p> : null;
}

export function TopicsAdmin() {
  const [tab, setTab] = useState<TTab>("unmapped");
  const [quarantineTopic, setQuarantineTopic] = useState("");
  const baseId = useId();

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader title="Topics">
        Which MQTT topics feed which asset. Paths without an asset wait here for you to map, ignore or reject them; messages that could not be stored wait in quarantine. Every change is in the audit log.
      </PageHeader>
      <div role="tablist" aria-label="Topic mapping sections" className="flex flex-wrap gap-2 border-b border-line">
        {tabs.map((item) => (
          <button
            key={item.id} id={`${baseId}-${item.id}-tab`} type="button" role="tab" aria-selected={tab === item.id} aria-controls={`${baseId}-${item.id}-panel`}
            className={cx("-mb-px min-h-11 border-b-2 px-4 text-sm font-medium lg:min-h-9", tab === item.id ? "border-accent text-fg" : "border-transparent text-fg-muted hover:text-fg")}
            onClick={() => setTab(item.id)}
          >{item.label}</button>
        ))}
      </div>
      <section role="tabpanel" id={`${baseId}-${tab}-panel`} aria-labelledby={`${baseId}-${tab}-tab`}>
        {tab === "unmapped" ? <UnmappedTopics onShowQuarantine={(path) => { setQuarantineTopic(path); setTab("quarantine"); }} onOpenSettings={() => setTab("settings")} /> : null}
        {tab === "settings" ? <IngestSettings /> : null}
        {tab === "quarantine" ? <Quarantine initialTopic={quarantineTopic} /> : null}
      </section>
    </div>
  );
}

// --- unmapped topics -----------------------------------------------------------------------------

function flattenAssets(nodes: TAssetNode[], into: TAssetNode[] = []): TAssetNode[] {
  for (const node of nodes) {
    into.push(node);
    flattenAssets(node.children, into);
  }
  return into;
}

function UnmappedTopics({ onShowQuarantine, onOpenSettings }: { onShowQuarantine: (path: string) => void; onOpenSettings: () => void }) {
  const queryClient = useQueryClient();
  const statusId = useId();
  const [status, setStatus] = useState<TStatus>("pending");
  const [notice, setNotice] = useState<{ path: string; asset: string } | null>(null);
  const topics = useQuery({
    queryKey: queryKeys.topics.unmapped(status),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TUnmapped[] }>(`/api/v1/topics/unmapped?status=${status}`, { signal })).data,
  });
  const assets = useQuery({ queryKey: queryKeys.assets.tree(), queryFn: async ({ signal }) => (await fetchJson<{ data: TAssetNode[] }>("/api/v1/assets", { signal })).data });
  const assetList = useMemo(() => flattenAssets(assets.data ?? []).sort((a, b) => a.path.localeCompare(b.path)), [assets.data]);
  const decide = useMutation({
    mutationFn: ({ path, action, assetId }: { path: string; action: "map" | "ignore" | "reject" | "restore"; assetId?: string }) =>
      fetchJson<{ data: { path: string; mappedTo?: { path: string } } }>(topicUrl(path, action), { method: "POST", body: assetId ? { assetId } : undefined }),
    onSuccess: ({ data }, { action }) => setNotice(action === "map" && data.mappedTo ? { path: data.path, asset: data.mappedTo.path } : null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.topics.unmappedAll() }),
  });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={statusId} className="mb-1 block text-sm font-medium">Show</label>
          <Select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as TStatus)}>
            {(Object.keys(statusLabels) as TStatus[]).map((value) => <option key={value} value={value}>{statusLabels[value]}</option>)}
          </Select>
        </div>
        <p className="max-w-xl text-xs text-fg-muted">Map: from the next message on, its values are stored for the asset you pick (no restart). Ignore: its messages are dropped and only counted. Reject: its messages go to quarantine.</p>
      </div>
      {notice ? (
        <div role="status" className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-surface px-4 py-2 text-sm">
          <span>Mapped <code className="font-mono">{notice.path}</code> to <code className="font-mono">{notice.asset}</code>. New messages are stored there; messages that arrived before wait in quarantine.</span>
          <Button variant="secondary" onClick={() => onShowQuarantine(notice.path)}>Show waiting messages</Button>
        </div>
      ) : null}
      <ErrorLine error={decide.error} />
      <ErrorLine error={topics.error} />
      {assets.isError ? <p role="alert" className="text-sm text-danger-text">Could not load the asset tree for mapping: {assets.error.message}</p> : null}
      {topics.isPending ? <p className="text-sm text-fg-muted">Loading…</p> : null}
      {topics.data && topics.data.length === 0 ? (
        <div className="rounded-lg border border-dashed border-line-strong p-6 text-sm">
          <p className="font-medium">{status === "pending" ? "No topics are waiting for a decision." : `No topics are ${statusLabels[status].toLowerCase()}.`}</p>
          <p className="mt-1 text-fg-muted">
            With auto-registration on, a new asset path becomes an asset by itself. To review new paths here first, turn auto-registration off in{" "}
            <button type="button" className="underline" onClick={onOpenSettings}>Settings</button>.
          </p>
        </div>
      ) : null}
      {topics.data && topics.data.length > 0 ? (
        <DataTable testId="unmapped-table" headings={["Asset path", "Messages", "First seen", "Last seen", "Status", "Decision"]}>
              {topics.data.map((topic) => (
                <UnmappedRow key={topic.path} topic={topic} assets={assetList} busy={decide.isPending} onDecide={(action, assetId) => decide.mutate({ path: topic.path, action, assetId })} />
              ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function UnmappedRow({ topic, assets, busy, onDecide }: {
  topic: TUnmapped; assets: TAssetNode[]; busy: boolean; onDecide: (action: "map" | "ignore" | "reject" | "restore", assetId?: string) => void;
}) {
  const pickerId = useId();
  const [assetId, setAssetId] = useState("");
  return (
    <tr className="border-t border-line align-top" data-path={topic.path}>
      <td className="px-3 py-2">
        <div className="font-mono break-all">{topic.path}</div>
        <div className="mt-0.5 font-mono text-xs break-all text-fg-muted">e.g. {topic.exampleTopic}</div>
      </td>
      <td className="px-3 py-2 tabular-nums">{topic.messageCount.toLocaleString()}</td>
      <td className="px-3 py-2 whitespace-nowrap">{when(topic.firstSeenAt)}</td>
      <td className="px-3 py-2 whitespace-nowrap">{when(topic.lastSeenAt)}</td>
      <td className="px-3 py-2"><Badge tone={topic.status === "mapped" ? "accent" : "neutral"}>{statusLabels[topic.status]}</Badge></td>
      <td className="px-3 py-2">
        {topic.status === "mapped" ? (
          <span className="text-sm">→ {topic.mappedTo ? <span className="font-mono">{topic.mappedTo.path}</span> : "a retired asset (messages are unmapped again)"}</span>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor={pickerId} className="sr-only">Asset for {topic.path}</label>
            <Select id={pickerId} value={assetId} onChange={(event) => setAssetId(event.target.value)} className="max-w-64">
              <option value="">Pick an asset…</option>
              {assets.map((asset) => <option key={asset.id} value={asset.id}>{asset.path} ({asset.name})</option>)}
            </Select>
            <Button disabled={busy || !assetId} onClick={() => onDecide("map", assetId)}>Map</Button>
            {topic.status === "pending" ? (
              <>
                <Button variant="secondary" disabled={busy} onClick={() => onDecide("ignore")}>Ignore</Button>
                <Button variant="secondary" disabled={busy} onClick={() => {
                  if (window.confirm(`Reject ${topic.path}? Its messages go to quarantine with the reason "rejected by an admin". You can restore it later.`)) onDecide("reject");
                }}>Reject</Button>
              </>
            ) : <Button variant="secondary" disabled={busy} onClick={() => onDecide("restore")}>Restore to waiting</Button>}
          </div>
        )}
      </td>
    </tr>
  );
}

// --- settings ------------------------------------------------------------------------------------

const example = { group: "plant-1", edgeNode: "line-a", device: "press-3" };

function IngestSettings() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: queryKeys.topics.settings(), queryFn: async ({ signal }) => (await fetchJson<{ data: TSettings }>("/api/v1/settings/ingest", { signal })).data });
  return settings.data ? <SettingsForm saved={settings.data} onSaved={(next) => queryClient.setQueryData(queryKeys.topics.settings(), next)} />
    : settings.isError ? <ErrorLine error={settings.error} /> : <p className="text-sm text-fg-muted">Loading…</p>;
}

function SettingsForm({ saved, onSaved }: { saved: TSettings; onSaved: (settings: TSettings) => void }) {
  const ids = { auto: useId(), template: useId() };
  const [form, setForm] = useState(saved);
  const [done, setDone] = useState(false);
  const problem = sparkplugTemplateProblem(form.sparkplugPathTemplate.trim());
  const preview = problem ? null : sparkplugPathMapper(form.sparkplugPathTemplate.trim());
  const save = useMutation({
    mutationFn: () => fetchJson<{ data: TSettings }>("/api/v1/settings/ingest", { method: "PUT", body: { autoRegister: form.autoRegister, sparkplugPathTemplate: form.sparkplugPathTemplate.trim() } }),
    onSuccess: ({ data }) => {
      setDone(true);
      onSaved(data);
    },
  });
  const changed = form.autoRegister !== saved.autoRegister || form.sparkplugPathTemplate.trim() !== saved.sparkplugPathTemplate;

  return (
    <form className="max-w-3xl space-y-6 rounded-lg border border-line bg-surface p-4 shadow-xs" noValidate onSubmit={(event) => {
      event.preventDefault();
      setDone(false);
      if (!problem) save.mutate();
    }}>
      <div className="flex items-start gap-3">
        <input
          id={ids.auto} type="checkbox" role="switch" checked={form.autoRegister} aria-describedby={`${ids.auto}-hint`}
          className="mt-1 size-6 shrink-0 accent-accent" onChange={(event) => setForm({ ...form, autoRegister: event.target.checked })}
        />
        <div>
          <label htmlFor={ids.auto} className="block text-sm font-medium">Register new asset paths automatically</label>
          <p id={`${ids.auto}-hint`} className="mt-1 text-xs text-fg-muted">
            On: a message on a path no asset has creates that asset (and its parents). Off: the path waits under Unmapped topics and its messages in quarantine until you decide. Workers started with INGEST_AUTO_REGISTER=true or false keep that value.
          </p>
        </div>
      </div>
      <div>
        <label htmlFor={ids.template} className="mb-1 block text-sm font-medium">Sparkplug mapping rule</label>
        <Input
          id={ids.template} value={form.sparkplugPathTemplate} spellCheck={false} autoComplete="off" className="w-full font-mono"
          invalid={!!problem} aria-describedby={`${ids.template}-hint ${ids.template}-preview`}
          onChange={(event) => setForm({ ...form, sparkplugPathTemplate: event.target.value })}
        />
        <p id={`${ids.template}-hint`} className={cx("mt-1 text-xs", problem ? "text-danger-text" : "text-fg-muted")}>
          {problem ? `Fix the rule: ${problem}.` : "Levels separated by /, each a fixed name or {group}, {edge_node}, {device}; it ends with {device}. An optional fixed prefix puts Sparkplug nodes under a site, e.g. acme/detroit/{group}/{edge_node}/{device}."}
        </p>
        <div id={`${ids.template}-preview`} className="mt-3 rounded-md bg-subtle px-3 py-2 text-sm" aria-live="polite">
          <p className="text-xs font-medium text-fg-muted">Example: group {example.group}, edge node {example.edgeNode}, device {example.device}</p>
          {preview ? (
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
              <dt>Edge node metrics →</dt><dd className="font-mono break-all" data-testid="preview-node">{preview(example.group, example.edgeNode)}</dd>
              <dt>Device metrics →</dt><dd className="font-mono break-all" data-testid="preview-device">{preview(example.group, example.edgeNode, example.device)}</dd>
            </dl>
          ) : <p className="mt-1 text-fg-muted">Fix the rule to see where values would go.</p>}
        </div>
        <p className="mt-2 text-xs text-fg-muted">A new rule applies from each edge node&apos;s next birth; workers ask every node for one. Workers started with SPARKPLUG_PATH_TEMPLATE keep that rule.</p>
      </div>
      <ErrorLine error={save.error} />
      {done && !changed ? <p role="status" className="text-sm">Saved. Workers apply it within 5 seconds.</p> : null}
      <Button type="submit" disabled={save.isPending || !!problem || !changed}>{save.isPending ? "Saving…" : "Save settings"}</Button>
    </form>
  );
}

// --- quarantine ----------------------------------------------------------------------------------

const previewChars = 600;

function Quarantine({ initialTopic }: { initialTopic: string }) {
  const queryClient = useQueryClient();
  const ids = { reason: useId(), topic: useId() };
  const [draft, setDraft] = useState({ reason: "", topic: initialTopic });
  const [filter, setFilter] = useState({ reason: "", topic: initialTopic });
  const [notice, setNotice] = useState<string | null>(null);
  const messages = useInfiniteQuery({
    queryKey: queryKeys.topics.quarantine(filter.reason, filter.topic),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (filter.reason) params.set("reason", filter.reason);
      if (filter.topic) params.set("topic", filter.topic);
      if (pageParam) params.set("before", pageParam);
      return fetchJson<TQuarantinePage>(`/api/v1/quarantine?${params}`, { signal });
    },
    getNextPageParam: (last) => last.meta.nextBefore,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.topics.quarantineAll() });
  const retry = useMutation({
    mutationFn: (id: string) => fetchJson<{ data: { outcome: "stored" } | { outcome: "quarantined"; reason: string } }>(`/api/v1/quarantine/${id}/retry`, { method: "POST" }),
    onSuccess: ({ data }) => setNotice(data.outcome === "stored" ? "Retried: the message is stored and left the quarantine." : `Retried, but it was refused again: ${data.reason}`),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/v1/quarantine/${id}`, { method: "DELETE" }),
    onSuccess: () => setNotice("Deleted the message."),
    onSettled: refresh,
  });
  const removeMatching = useMutation({
    mutationFn: () => {
      const params = new URLSearchParams();
      if (filter.reason) params.set("reason", filter.reason);
      if (filter.topic) params.set("topic", filter.topic);
      if (!filter.reason && !filter.topic) params.set("all", "true");
      return fetchJson<{ data: { deleted: number } }>(`/api/v1/quarantine?${params}`, { method: "DELETE" });
    },
    onSuccess: ({ data }) => setNotice(`Deleted ${data.deleted.toLocaleString()} messages.`),
    onSettled: refresh,
  });
  const total = messages.data?.pages[0]?.meta.total ?? 0;
  const rows = messages.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = !!(filter.reason || filter.topic);
  const busy = retry.isPending || remove.isPending || removeMatching.isPending;

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-3" onSubmit={(event) => {
        event.preventDefault();
        setNotice(null);
        setFilter({ reason: draft.reason.trim(), topic: draft.topic.trim() });
      }}>
        <div>
          <label htmlFor={ids.topic} className="mb-1 block text-sm font-medium">Topic contains</label>
          <Input id={ids.topic} value={draft.topic} maxLength={200} onChange={(event) => setDraft({ ...draft, topic: event.target.value })} />
        </div>
        <div>
          <label htmlFor={ids.reason} className="mb-1 block text-sm font-medium">Reason contains</label>
          <Input id={ids.reason} value={draft.reason} maxLength={200} onChange={(event) => setDraft({ ...draft, reason: event.target.value })} />
        </div>
        <Button type="submit" variant="secondary">Filter</Button>
        {total > 0 ? (
          <Button variant="secondary" disabled={busy} className="ml-auto" onClick={() => {
            const what = filtered ? `all ${total.toLocaleString()} quarantined messages matching this filter` : `ALL ${total.toLocaleString()} quarantined messages`;
            if (window.confirm(`Delete ${what}? This cannot be undone.`)) removeMatching.mutate();
          }}>{filtered ? `Delete ${total.toLocaleString()} matching` : `Delete all ${total.toLocaleString()}`}</Button>
        ) : null}
      </form>
      {notice ? <p role="status" className="rounded-lg border border-line bg-surface px-4 py-2 text-sm">{notice}</p> : null}
      <ErrorLine error={retry.error ?? remove.error ?? removeMatching.error} />
      <ErrorLine error={messages.error} />
      {messages.isPending ? <p className="text-sm text-fg-muted">Loading…</p> : null}
      {messages.data && rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-line-strong p-6 text-sm">
          <p className="font-medium">{filtered ? "No quarantined message matches this filter." : "The quarantine is empty."}</p>
          <p className="mt-1 text-fg-muted">Messages the worker cannot store (invalid payloads, unmapped or rejected paths) appear here with the reason, so you can fix the cause and retry them.</p>
        </div>
      ) : null}
      {rows.length > 0 ? <p className="text-xs text-fg-muted">{total.toLocaleString()} message{total === 1 ? "" : "s"}, newest first. Times are in your time zone.</p> : null}
      <ul className="space-y-3" data-testid="quarantine-list">
        {rows.map((message) => (
          <QuarantinedItem key={message.id} message={message} busy={busy} onRetry={() => retry.mutate(message.id)} onDelete={() => {
            if (window.confirm(`Delete this message from ${message.topic}? This cannot be undone.`)) remove.mutate(message.id);
          }} />
        ))}
      </ul>
      {messages.hasNextPage ? <Button variant="secondary" disabled={messages.isFetchingNextPage} onClick={() => messages.fetchNextPage()}>{messages.isFetchingNextPage ? "Loading…" : "Show older messages"}</Button> : null}
    </div>
  );
}

function QuarantinedItem({ message, busy, onRetry, onDelete }: { message: TQuarantined; busy: boolean; onRetry: () => void; onDelete: () => void }) {
  const truncatedOnArrival = message.storedBytes < message.payloadBytes;
  const cannotRetry = message.retryHint ?? (truncatedOnArrival ? `Only ${message.storedBytes.toLocaleString()} of ${message.payloadBytes.toLocaleString()} bytes were kept, so it cannot be retried.` : null);
  return (
    <li className="rounded-lg border border-line bg-surface p-3 shadow-xs" data-id={message.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-1">
          <p className="text-sm font-medium break-words" data-testid="quarantine-reason">{message.reason}</p>
          <p className="font-mono text-xs break-all text-fg-muted">{message.topic}</p>
          <p className="text-xs text-fg-muted"><time dateTime={message.receivedAt}>{when(message.receivedAt)}</time> · {message.payloadBytes.toLocaleString()} bytes</p>
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" disabled={busy || !!cannotRetry} onClick={onRetry} aria-describedby={cannotRetry ? `hint-${message.id}` : undefined}>Retry</Button>
          <Button variant="secondary" disabled={busy} onClick={onDelete}>Delete</Button>
        </div>
      </div>
      {cannotRetry ? <p id={`hint-${message.id}`} className="mt-2 text-xs text-fg-muted">{cannotRetry}</p> : null}
      <PayloadView message={message} />
    </li>
  );
}

/** Always a text node inside <pre>: a payload is never interpreted as markup. */
function PayloadView({ message }: { message: TQuarantined }) {
  const [full, setFull] = useState<string | null>(null);
  const [expanded, setExpanded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bytes = useMemo(() => base64ToBytes(full ?? message.payloadBase64), [full, message.payloadBase64]);
  const shown = payloadText(bytes, expanded ? Number.MAX_SAFE_INTEGER : previewChars);
  const moreStored = message.storedBytes > bytes.length;
  return (
    <div className="mt-2">
      <p className="text-xs text-fg-muted">{shown.kind === "text" ? "Payload (text)" : "Payload (not UTF-8 text: hex bytes)"}</p>
      <pre className="mt-1 max-h-96 overflow-auto rounded-md bg-subtle p-2 font-mono text-xs whitespace-pre-wrap break-all" data-testid="quarantine-payload">{shown.text || "(empty)"}</pre>
      {error ? <p role="alert" className="text-xs text-danger-text">{error}</p> : null}
      {shown.truncated || moreStored ? (
        <button type="button" className="mt-1 min-h-11 text-sm underline lg:min-h-0" onClick={async () => {
          setError(null);
          if (moreStored) {
            try {
              setFull((await fetchJson<{ data: TQuarantined }>(`/api/v1/quarantine/${message.id}`)).data.payloadBase64);
            } catch (caught) {
              setError(caught instanceof Error ? caught.message : "Could not load the whole payload.");
              return;
            }
          }
          setExpanded(true);
        }}>Show all ({message.storedBytes.toLocaleString()} bytes)</button>
      ) : null}
    </div>
  );
}
