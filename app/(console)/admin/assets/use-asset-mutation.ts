"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, fetchJson } from "@/lib/api/fetch-json";
import { queryKeys } from "@/lib/query-keys";
import type { TAdminNode } from "./asset-admin-model";

export type TAssetAnswer = Omit<TAdminNode, "children"> & { descendantsMoved?: number; affected?: number };
export type TAssetRequest = { url: string; method: "POST" | "PATCH"; body: unknown };

/** One change to the hierarchy; afterwards every asset query (this page's and the console's tree) refreshes. */
export function useAssetMutation<TVariables>(request: (variables: TVariables) => TAssetRequest, onSuccess?: (asset: TAssetAnswer, variables: TVariables) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (variables: TVariables) => {
      const { url, method, body } = request(variables);
      return (await fetchJson<{ data: TAssetAnswer }>(url, { method, body })).data;
    },
    onSuccess: (asset, variables) => onSuccess?.(asset, variables),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.assets.all() }),
  });
}

/** The server's field errors (zod issues, or a conflict's) by field name, for inline messages. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
  const byField: Record<string, string> = {};
  for (const issue of issues) byField[issue.path || "form"] ??= issue.message;
  return byField;
}
