import { ApiError } from "./fetch-json";

/**
 * The server's validation issues (zod paths joined with ".") by path, first message per path, for
 * messages beside the field they are about; "form" holds what belongs to no field.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const issues = (error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
  const byPath: Record<string, string> = {};
  for (const issue of issues) byPath[issue.path || "form"] ??= issue.message;
  return byPath;
}
