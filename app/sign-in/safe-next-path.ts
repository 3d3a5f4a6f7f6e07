/**
 * The `?next=` target after sign-in, only when it stays on this site: a path starting with one
 * "/". "//host" and "/\host" are other sites to a browser, so they are refused, as are control
 * characters that browsers strip before resolving.
 */
export function safeNextPath(value: string | string[] | undefined): string | null {
  if (typeof value !== "string") return null;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  return value;
}
