import { NextResponse } from "next/server";
import { isSecureRequest, sessionCookie } from "@/lib/auth/cookies";
import { signIn, ZSignIn } from "@/lib/auth/sign-in";
import { route } from "@/lib/http/route";

export const POST = route({ access: "public", body: ZSignIn, maxBodyBytes: 10_000 }, async ({ request, body }) => {
  const { token, user } = await signIn(body, request.headers.get("user-agent"));
  const response = NextResponse.json({ data: { user } });
  response.headers.append("set-cookie", sessionCookie(token, isSecureRequest(request.headers, request.url)));
  return response;
});
