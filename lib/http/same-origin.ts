import { AppError } from "../errors";

/**
 * Rejects state-changing requests that a browser sent from another site. A missing or
 * `null` Origin is not trusted: browsers send Origin on every cross-origin and same-origin
 * POST, so its absence means a non-browser client, which must use a bearer token.
 */
export function assertSameOrigin(request: Request): void {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") throw crossSite();
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") throw crossSite();
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? request.headers.get("host");
  if (!host || originHost.toLowerCase() !== host.toLowerCase()) throw crossSite();
}

function crossSite() {
  return new AppError("cross_site", "Cross-site request refused: send it from the Shopfloor console or with an API token.");
}
