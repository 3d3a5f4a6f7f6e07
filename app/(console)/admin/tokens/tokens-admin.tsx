"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import type { TApiTokenStatus } from "@/lib/auth/api-tokens";
import { roleOrder } from "@/lib/auth/roles";
import type { Role } from "@/lib/generated/prisma/enums";
import { queryKeys } from "@/lib/query-keys";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TToken = {
  id: string; name: string; role: Role; prefix: string; createdAt: string; expiresAt: string | null;
  lastUsedAt: string | null; revokedAt: string | null; createdBy: { email: string }; status: TApiTokenStatus;
};
type TCreatedToken = { id: string; name: string; secret: string };

const roleLabels: Record<Role, string> = { VIEWER: "Viewer", SUPERVISOR: "Supervisor", MANAGER: "Manager", ADMIN: "Admin" };
const statusLabels: Record<TApiTokenStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };
const nameMaxLength = 100;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });
const formatTime = (iso: string | null, empty = "–") => (iso ? timeFormat.format(new Date(iso)) : empty);

/** yyyy-mm-dd of today in the browser's zone, the earliest expiry date the form offers. */
function todayLocal(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

export function TokensAdmin() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<TCreatedToken | null>(null);
  const tokens = useQuery({
    queryKey: queryKeys.apiTokens(),
    queryFn: async ({ signal }) => (await fetchJson<{ data: TToken[] }>("/api/v1/tokens", { signal })).data,
  });
  const revoke = useMutation({
    mutationFn: (token: TToken) => fetchJson<{ data: TToken }>(`/api/v1/tokens/${token.id}`, { method: "DELETE" }),
    // A 409 (someone else revoked it first) also means the list is stale.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens() }),
  });

  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader title="API tokens">
        Integrations (an MES bridge, a BI tool, a script) call the API with <code>Authorization: Bearer sf_…</code> and act with the token&apos;s role.
        Give each integration its own token so it can be revoked on its own. Every creation and revocation is in the audit log.
      </PageHeader>

      {created ? (
        <SecretOnce token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm onCreated={(token) => {
          setCreated(token);
          void queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens() });
        }} />
      )}

      {revoke.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">Could not revoke: {revoke.error.message}</p> : null}
      {revoke.isSuccess ? <p role="status" className="text-sm">Revoked {revoke.data.data.name}: its next request is refused.</p> : null}
      {tokens.isPending ? <p className="text-sm text-fg-muted">Loading tokens…</p> : null}
      {tokens.isError ? <p role="alert" className="text-sm text-danger-text">Could not load tokens: {tokens.error.message}</p> : null}
      {tokens.data?.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line-strong p-6 text-center text-sm text-fg-muted">
          No API tokens yet. Create one above for the first integration that needs the API.
        </p>
      ) : null}
      {tokens.data?.length ? (
        <DataTable testId="tokens-table" caption="API tokens, newest first" headings={["Name and prefix", "Role", "Created", "Expires", "Last used", "Status"]}>
          {tokens.data.map((token) => (
            <tr key={token.id} className="border-t border-line" data-token-id={token.id} data-token-name={token.name}>
              <td className="min-w-32 px-3 py-2">
                <span className="block break-words font-medium">{token.name}</span>
                <span className="block whitespace-nowrap font-mono text-xs text-fg-muted">{token.prefix}…</span>
              </td>
              <td className="px-3 py-2">{roleLabels[token.role]}</td>
              <td className="px-3 py-2">
                <span className="block whitespace-nowrap">{formatTime(token.createdAt)}</span>
                <span className="block break-all text-xs text-fg-muted">by {token.createdBy.email}</span>
              </td>
              <td className="whitespace-nowrap px-3 py-2">{formatTime(token.expiresAt, "Never")}</td>
              <td className="whitespace-nowrap px-3 py-2">{formatTime(token.lastUsedAt, "Never")}</td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Badge tone={token.status === "active" ? "accent" : "neutral"} title={token.revokedAt ? `Revoked ${formatTime(token.revokedAt)}` : undefined}>{statusLabels[token.status]}</Badge>
                  {token.status === "revoked" ? null : (
                    <Button variant="secondary" disabled={revoke.isPending} aria-label={`Revoke ${token.name}`} onClick={() => {
                      const confirmed = window.confirm(
                        `Revoke the token "${token.name}" (${token.prefix}…)?\n\nIntegrations using it are refused from their next request. ` +
                          "This cannot be undone: create a new token if the integration still needs access.",
                      );
                      if (confirmed) revoke.mutate(token);
                    }}>Revoke</Button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </div>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: TCreatedToken) => void }) {
  const ids = { title: useId(), name: useId(), role: useId(), expires: useId() };
  const [form, setForm] = useState({ name: "", role: "VIEWER", expires: "" });
  const create = useMutation({
    mutationFn: () => fetchJson<{ data: TCreatedToken }>("/api/v1/tokens", {
      method: "POST",
      body: {
        name: form.name.trim(),
        role: form.role,
        // The chosen day is the last one the token works, to its end in this browser's zone.
        ...(form.expires ? { expiresAt: new Date(`${form.expires}T23:59:59.999`).toISOString() } : {}),
      },
    }),
    onSuccess: ({ data }) => onCreated(data),
  });
  const serverErrors = fieldErrors(create.error);
  const nameTooLong = form.name.trim().length > nameMaxLength;
  const expiryInPast = form.expires !== "" && form.expires < todayLocal();
  const nameError = nameTooLong ? `At most ${nameMaxLength} characters (now ${form.name.trim().length}).` : serverErrors.name;
  const expiryError = expiryInPast ? "Pick today or a later day, or leave it empty for a token that does not expire." : serverErrors.expiresAt;
  const canSubmit = form.name.trim().length > 0 && !nameTooLong && !expiryInPast && !create.isPending;

  return (
    <form className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" aria-labelledby={ids.title} noValidate onSubmit={(event) => {
      event.preventDefault();
      if (canSubmit) create.mutate();
    }}>
      <h2 id={ids.title} className="text-base font-semibold">Create a token</h2>
      <div className="grid gap-4 sm:grid-cols-3">
        <div>
          <label htmlFor={ids.name} className="mb-1 block text-sm font-medium">Name</label>
          <Input id={ids.name} autoComplete="off" required maxLength={nameMaxLength + 20} placeholder="e.g. MES bridge line 1" invalid={!!nameError}
            aria-describedby={`${ids.name}-hint`} value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} />
          <p id={`${ids.name}-hint`} className={`mt-1 text-xs ${nameError ? "text-danger-text" : "text-fg-muted"}`}>{nameError ?? "Which integration uses it."}</p>
        </div>
        <div>
          <label htmlFor={ids.role} className="mb-1 block text-sm font-medium">Role</label>
          <Select id={ids.role} className="w-full" aria-describedby={`${ids.role}-hint`} value={form.role} onChange={(event) => setForm({ ...form, role: event.target.value })}>
            {roleOrder.map((role) => <option key={role} value={role}>{roleLabels[role]}</option>)}
          </Select>
          <p id={`${ids.role}-hint`} className="mt-1 text-xs text-fg-muted">The lowest role that does the job: a dashboard needs only viewer.</p>
        </div>
        <div>
          <label htmlFor={ids.expires} className="mb-1 block text-sm font-medium">Expires after (optional)</label>
          <Input id={ids.expires} type="date" min={todayLocal()} invalid={!!expiryError} aria-describedby={`${ids.expires}-hint`}
            value={form.expires} onChange={(event) => setForm({ ...form, expires: event.target.value })} />
          <p id={`${ids.expires}-hint`} className={`mt-1 text-xs ${expiryError ? "text-danger-text" : "text-fg-muted"}`}>{expiryError ?? "Works until the end of this day. Empty: until revoked."}</p>
        </div>
      </div>
      {serverErrors.form || serverErrors.role ? <p role="alert" className="text-sm text-danger-text">{serverErrors.form ?? serverErrors.role}</p> : null}
      {create.isError && !Object.keys(serverErrors).length ? <p role="alert" className="text-sm text-danger-text">{create.error.message}</p> : null}
      <Button type="submit" disabled={!canSubmit}>{create.isPending ? "Creating…" : "Create token"}</Button>
    </form>
  );
}

/** The secret, shown this once: only its hash is stored, so nobody can show it again. */
function SecretOnce({ token, onDone }: { token: TCreatedToken; onDone: () => void }) {
  const titleId = useId();
  const secretId = useId();
  const copyButton = useRef<HTMLButtonElement>(null);
  const secretInput = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => copyButton.current?.focus(), []);

  return (
    <section aria-labelledby={titleId} className="space-y-3 rounded-lg border border-accent bg-accent-soft p-4">
      <h2 id={titleId} className="text-base font-semibold">Copy the secret of “{token.name}” now</h2>
      <p className="text-sm font-medium">
        This is the only time it is shown. Shopfloor keeps only a hash of it: if it is lost, revoke the token and create a new one.
        Store it in the integration&apos;s secret store, not in a ticket or a chat.
      </p>
      <label htmlFor={secretId} className="block text-sm font-medium">Secret</label>
      <div className="flex flex-wrap gap-2">
        <Input ref={secretInput} id={secretId} readOnly value={token.secret} className="min-w-0 flex-1 font-mono" onFocus={(event) => event.target.select()} />
        <Button ref={copyButton} onClick={async () => {
          try {
            await navigator.clipboard.writeText(token.secret);
            setCopy("copied");
          } catch {
            // Clipboard access needs a secure context (HTTPS); selecting lets the user copy by hand.
            secretInput.current?.select();
            setCopy("failed");
          }
        }}>Copy secret</Button>
        <Button variant="secondary" onClick={onDone}>Done, I stored it</Button>
      </div>
      <p role="status" className="min-h-5 text-sm">
        {copy === "copied" ? "Copied to the clipboard." : copy === "failed" ? "This browser did not allow copying: the secret is selected, press Ctrl+C (⌘C)." : ""}
      </p>
    </section>
  );
}
