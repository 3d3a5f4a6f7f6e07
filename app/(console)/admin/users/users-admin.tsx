"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SiteScopePicker } from "@/components/admin/site-scope-picker";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fetchJson, isApiError } from "@/lib/api/fetch-json";
import { fieldErrors } from "@/lib/api/field-errors";
import { roleOrder } from "@/lib/auth/roles";
import type { TPublicUser } from "@/lib/users/user-fields";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";

type TUser = Omit<TPublicUser, "createdAt" | "disabledAt"> & { createdAt: string; disabledAt: string | null };
const usersKey = ["admin", "users"] as const;
const roleLabels: Record<(typeof roleOrder)[number], string> = { VIEWER: "Viewer", SUPERVISOR: "Supervisor", MANAGER: "Manager", ADMIN: "Admin" };

export function UsersAdmin({ selfId }: { selfId: string | null }) {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: async ({ signal }) => (await fetchJson<{ data: TUser[] }>("/api/v1/users", { signal })).data });
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: { role?: string; disabled?: boolean; siteIds?: string[] } }) => fetchJson(`/api/v1/users/${id}`, { method: "PATCH", body: change }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });

  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <PageHeader title="Users">
        Who can sign in and what their role allows: viewers read, supervisors also classify stops, managers also manage work orders, admins configure everything. Every change is in the audit log.
      </PageHeader>
      <CreateUserForm onCreated={() => queryClient.invalidateQueries({ queryKey: usersKey })} />
      {update.isError ? <p role="alert" className="rounded-lg border border-danger-line bg-danger-soft px-4 py-2 text-sm text-danger-text">{update.error.message}</p> : null}
      {users.isError ? <p role="alert" className="text-sm text-danger-text">Could not load users: {users.error.message}</p> : null}
      {users.data ? (
        <DataTable testId="users-table" headings={["E-mail", "Name", "Role", "Sites", "Status", ""]}>
              {users.data.map((user) => (
                <tr key={user.id} className="border-t border-line" data-email={user.email}>
                  <td className="px-3 py-2">{user.email}</td>
                  <td className="px-3 py-2">{user.name ?? "–"}</td>
                  <td className="px-3 py-2">
                    <label className="sr-only" htmlFor={`role-${user.id}`}>Role of {user.email}</label>
                    <Select id={`role-${user.id}`} value={user.role} disabled={update.isPending} onChange={(event) => update.mutate({ id: user.id, change: { role: event.target.value } })}>
                      {roleOrder.map((role) => <option key={role} value={role}>{roleLabels[role]}</option>)}
                    </Select>
                  </td>
                  <td className="px-3 py-2">
                    {user.role === "ADMIN" ? <span className="text-fg-muted">All sites</span> : (
                      <SiteScopePicker label={`Sites of ${user.email}`} value={user.siteIds} disabled={update.isPending}
                        onChange={(siteIds) => update.mutate({ id: user.id, change: { siteIds } })} />
                    )}
                  </td>
                  <td className="px-3 py-2">{user.disabledAt ? "Disabled" : "Active"}</td>
                  <td className="px-3 py-2 text-right">
                    {user.id === selfId ? <span className="text-xs text-fg-muted">you</span> : (
                      <div className="flex flex-wrap items-start justify-end gap-2">
                        <PasswordReset email={user.email} userId={user.id} />
                        <Button variant="secondary" disabled={update.isPending} onClick={() => {
                          if (!user.disabledAt && !window.confirm(`Disable ${user.email}? Their sessions end now; you can enable them again.`)) return;
                          update.mutate({ id: user.id, change: { disabled: !user.disabledAt } });
                        }}>{user.disabledAt ? "Enable" : "Disable"}</Button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
        </DataTable>
      ) : null}
    </div>
  );
}

/** An admin sets a new password for someone who lost theirs; their sessions end (the API does that). */
function PasswordReset({ email, userId }: { email: string; userId: string }) {
  const inputId = useId();
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const reset = useMutation({
    mutationFn: () => fetchJson(`/api/v1/users/${userId}`, { method: "PATCH", body: { password } }),
    onSuccess: () => {
      setPassword("");
      setDone(true);
    },
  });
  const tooShort = password.length > 0 && password.length < 12;
  return (
    <details className="text-left">
      <summary className="flex min-h-11 cursor-pointer list-none items-center rounded-md border border-line-strong px-3 text-sm lg:min-h-9">Reset password</summary>
      <form className="mt-2 space-y-2" aria-label={`Reset the password of ${email}`} onSubmit={(event) => {
        event.preventDefault();
        setDone(false);
        reset.mutate();
      }}>
        <label htmlFor={inputId} className="block text-xs font-medium">New password for {email}</label>
        <Input id={inputId} type="password" autoComplete="new-password" value={password} invalid={tooShort} onChange={(event) => setPassword(event.target.value)} />
        <p className={`text-xs ${tooShort ? "text-danger-text" : "text-fg-muted"}`}>At least 12 characters; their sessions end.</p>
        {reset.isError ? <p role="alert" className="text-xs text-danger-text">{reset.error.message}</p> : null}
        {done ? <p role="status" className="text-xs">Password set.</p> : null}
        <Button type="submit" variant="secondary" disabled={reset.isPending || password.length < 12}>Set password</Button>
      </form>
    </details>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const ids = { email: useId(), name: useId(), password: useId(), role: useId() };
  const [form, setForm] = useState({ email: "", name: "", password: "", role: "VIEWER" });
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => fetchJson<{ data: TUser }>("/api/v1/users", { method: "POST", body: { email: form.email.trim(), password: form.password, role: form.role, siteIds: form.role === "ADMIN" ? [] : siteIds, ...(form.name.trim() ? { name: form.name.trim() } : {}) } }),
    onSuccess: ({ data }) => {
      setCreated(data.email);
      setForm({ email: "", name: "", password: "", role: "VIEWER" });
      setSiteIds([]);
      onCreated();
    },
  });
  // A taken e-mail (409) belongs beside the e-mail field like a validation message.
  const errors: Record<string, string> = { ...fieldErrors(create.error), ...(isApiError(create.error, 409) ? { email: create.error.message } : {}) };
  const passwordTooShort = form.password.length > 0 && form.password.length < 12;
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value }) });

  return (
    <form className="space-y-4 rounded-lg border border-line bg-surface p-4 shadow-xs" aria-labelledby={`${ids.email}-title`} noValidate onSubmit={(event) => {
      event.preventDefault();
      setCreated(null);
      create.mutate();
    }}>
      <h2 id={`${ids.email}-title`} className="text-base font-semibold">Add a user</h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={ids.email} className="mb-1 block text-sm font-medium">E-mail</label>
          <Input id={ids.email} type="email" autoComplete="off" required invalid={!!errors.email} aria-describedby={errors.email ? `${ids.email}-error` : undefined} {...field("email")} />
          {errors.email ? <p id={`${ids.email}-error`} className="mt-1 text-xs text-danger-text">{errors.email}</p> : null}
        </div>
        <div>
          <label htmlFor={ids.name} className="mb-1 block text-sm font-medium">Name (optional)</label>
          <Input id={ids.name} autoComplete="off" invalid={!!errors.name} {...field("name")} />
          {errors.name ? <p className="mt-1 text-xs text-danger-text">{errors.name}</p> : null}
        </div>
        <div>
          <label htmlFor={ids.password} className="mb-1 block text-sm font-medium">Initial password</label>
          <Input id={ids.password} type="password" autoComplete="new-password" required invalid={passwordTooShort || !!errors.password} aria-describedby={`${ids.password}-hint`} {...field("password")} />
          <p id={`${ids.password}-hint`} className={`mt-1 text-xs ${passwordTooShort || errors.password ? "text-danger-text" : "text-fg-muted"}`}>{errors.password ?? "At least 12 characters. Share it with the user over a separate channel."}</p>
        </div>
        <div>
          <label htmlFor={ids.role} className="mb-1 block text-sm font-medium">Role</label>
          <Select id={ids.role} className="w-full" {...field("role")}>
            {roleOrder.map((role) => <option key={role} value={role}>{roleLabels[role]}</option>)}
          </Select>
        </div>
        {form.role !== "ADMIN" ? (
          <div>
            <span className="mb-1 block text-sm font-medium">Sites</span>
            <SiteScopePicker label="Limit to sites" value={siteIds} onChange={setSiteIds} />
            {errors.siteIds ? <p className="mt-1 text-xs text-danger-text">{errors.siteIds}</p> : null}
          </div>
        ) : null}
      </div>
      {errors.form ? <p role="alert" className="text-sm text-danger-text">{errors.form}</p> : null}
      {create.isError && !Object.keys(errors).length ? <p role="alert" className="text-sm text-danger-text">{create.error.message}</p> : null}
      {created ? <p role="status" className="text-sm">Added {created}.</p> : null}
      <Button type="submit" disabled={create.isPending || passwordTooShort}>{create.isPending ? "Adding…" : "Add user"}</Button>
    </form>
  );
}
