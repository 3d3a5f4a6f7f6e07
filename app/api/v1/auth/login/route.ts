import { NextResponse } from "next/server";
import { isSecureRequest, sessionCookie } from "@/lib/auth/cookies";
import { clientIp } from "@/lib/auth/rate-limit";
import { signIn, ZSignIn } from "@/lib/auth/sign-in";
import { AppError } from "@/lib/errors";
import { errorResponse, route } from "@/lib/http/route";

export const POST = route({ access: "public", body: ZSignIn, maxBodyBytes: 10_000 }, async ({ request, body }) => {
  try {
    const { token, user } = await signIn(body, request.headers.get("user-agent"), clientIp(request.headers));
    const response = NextResponse.json({ data: { user } });
    response.headers.append("set-cookie", sessionCookie(token, isSecureRequest(request.headers, request.url)));
    return response;
  } catch (error) {
    if (!(error instanceof AppError && error.code === "rate_limited")) throw error;
    // The wait goes in Retry-After only: the body stays the same for every account.
    const { retryAfterSeconds } = error.details as { retryAfterSeconds: number };
    const response = errorResponse(new AppError(error.code, error.message));
    response.headers.set("retry-after", String(retryAfterSeconds));
    return response;
  }
});
