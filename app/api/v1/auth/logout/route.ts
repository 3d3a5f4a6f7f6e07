import { NextResponse } from "next/server";
import { clearedSessionCookies, readSessionCookie } from "@/lib/auth/cookies";
import { deleteSession } from "@/lib/auth/session";
import { route } from "@/lib/http/route";

export const POST = route({ access: "VIEWER" }, async ({ request }) => {
  const token = readSessionCookie(request.headers);
  if (token) await deleteSession(token);
  const response = NextResponse.json({ data: { ok: true } });
  for (const cookie of clearedSessionCookies()) response.headers.append("set-cookie", cookie);
  return response;
});
