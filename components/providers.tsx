"use client";

import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { isApiError } from "@/lib/api/fetch-json";

const redirectedAtKey = "shopfloor:sign-in-redirect-at";

/** The session ended (idle timeout, signed out elsewhere): sign in, then come back here. */
function sendToSignIn() {
  if (window.location.pathname === "/sign-in") return;
  try {
    // If the page still thinks we are signed in, sign-in would send us straight back: a loop.
    // A second 401 within seconds is left to the page's error state instead.
    const last = Number(window.sessionStorage.getItem(redirectedAtKey) ?? 0);
    if (Date.now() - last < 10_000) return;
    window.sessionStorage.setItem(redirectedAtKey, String(Date.now()));
  } catch {
    return;
  }
  const next = window.location.pathname + window.location.search;
  // A full page load on purpose: nothing from the ended session stays in memory.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
}

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error, 401)) sendToSignIn();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Asking again will not sign anyone in or grant a role.
        retry: (failureCount, error) => !isApiError(error, 401, 403, 404) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session; never shared between requests on the server.
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
