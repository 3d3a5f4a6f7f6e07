"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { fetchJson, isApiError } from "@/lib/api/fetch-json";
import type { Role } from "@/lib/generated/prisma/enums";

const roleLabels: Record<Role, string> = { VIEWER: "Viewer", SUPERVISOR: "Supervisor", MANAGER: "Manager", ADMIN: "Admin" };

/** The signed-in account, its role, and sign-out, as a menu button (WAI-ARIA menu pattern). */
export function UserMenu({ label, role }: { label: string; role: Role }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const signOut = useMutation({
    mutationFn: () => fetchJson<{ data: { ok: true } }>("/api/v1/auth/logout", { method: "POST" }),
    onSuccess: leave,
    // A 401 means the session had already ended: the person is signed out either way.
    onError: (error) => {
      if (isApiError(error, 401)) leave();
    },
  });

  function leave() {
    router.replace("/sign-in");
    queryClient.clear();
  }

  function close({ restoreFocus }: { restoreFocus: boolean }) {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  }

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    if (event.key === "Escape") close({ restoreFocus: true });
    else if (event.key === "Tab") close({ restoreFocus: false });
    else if (event.key === "ArrowDown") move(index + 1);
    else if (event.key === "ArrowUp") move(index - 1);
    else if (event.key === "Home") move(0);
    else if (event.key === "End") move(items.length - 1);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  }

  const roleLabel = roleLabels[role];
  const leaving = signOut.isPending || signOut.isSuccess;
  return (
    <div ref={containerRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Account: ${label}, ${roleLabel}`}
        onClick={() => setOpen((isOpen) => !isOpen)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            setOpen(true);
          }
        }}
        className="flex min-h-11 w-full items-center gap-2.5 rounded-md text-left hover:bg-subtle lg:px-2 lg:py-1.5"
      >
        <span aria-hidden="true" className="flex size-11 shrink-0 items-center justify-center rounded-full bg-subtle text-sm font-semibold uppercase text-fg lg:size-8">
          {label.charAt(0)}
        </span>
        <span className="hidden min-w-0 flex-1 lg:block">
          <span className="block truncate text-sm font-medium">{label}</span>
          <span className="block text-xs text-fg-muted">{roleLabel}</span>
        </span>
      </button>

      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Account"
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 top-full z-40 mt-2 w-72 max-w-[calc(100vw-1.5rem)] rounded-lg border border-line bg-surface p-1.5 shadow-lg lg:bottom-full lg:left-0 lg:top-auto lg:mb-2 lg:mt-0 lg:w-auto"
        >
          <div className="px-2.5 py-2">
            <p className="truncate text-sm font-medium" title={label}>
              {label}
            </p>
            <p className="mt-1.5 flex items-center gap-2 text-xs text-fg-muted">
              Role <Badge tone="accent">{roleLabel}</Badge>
            </p>
          </div>
          <div role="separator" className="my-1 border-t border-line" />
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            // aria-disabled rather than disabled, so focus stays in the menu while it works.
            aria-disabled={leaving || undefined}
            onClick={() => {
              if (!leaving) signOut.mutate();
            }}
            className="flex min-h-11 w-full items-center rounded-md px-2.5 text-left text-sm hover:bg-subtle focus-visible:bg-subtle aria-disabled:opacity-60 lg:min-h-9"
          >
            {leaving ? "Signing out…" : "Sign out"}
          </button>
          {signOut.isError && !isApiError(signOut.error, 401) ? (
            <p role="alert" className="px-2.5 py-2 text-sm text-danger-text">
              Could not sign out: {signOut.error.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
