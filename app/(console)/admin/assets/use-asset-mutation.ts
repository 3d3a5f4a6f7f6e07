"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
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

