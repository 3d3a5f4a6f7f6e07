import { getEnv } from "../env";

// Over HTTPS the cookie is `__Host-` prefixed (Secure, Path=/, no Domain), so a sibling
// subdomain cannot plant or overwrite it. Plain HTTP (a LAN demo) cannot carry Secure cookies.
const secureName = "__Host-shopfloor_session";
const plainName = "shopfloor_session";

export function isSecureRequest(headers: Headers, url: string): boolean {
  const setting = getEnv().SHOPFLOOR_SECURE_COOKIES;
  if (setting !== "auto") return setting;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (forwarded ?? new URL(url).protocol.replace(":", "")) === "https";
}

export function readSessionCookie(headers: Headers): string | null {
  const cookies = parseCookieHeader(headers.get("cookie"));
  return cookies.get(secureName) ?? cookies.get(plainName) ?? null;
}

export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = getEnv().SESSION_MAX_HOURS * 3600;
  const name = secure ? secureName : plainName;
  return `${name}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookies(): string[] {
  return [
    `${secureName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`,
    `${plainName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
  ];
}

function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(";") ?? []) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    // The first occurrence wins, like browsers send the most specific cookie first.
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}
