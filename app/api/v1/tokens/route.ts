import { createApiToken, listApiTokens, ZCreateApiToken } from "@/lib/auth/api-tokens";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { NextResponse } from "next/server";

export const GET = route({ access: "ADMIN" }, async () => ({ data: await listApiTokens() }));

export const POST = route({ access: "ADMIN", body: ZCreateApiToken }, async ({ caller, body }) => {
  // Tokens are created by people, so a leaked token cannot mint more of itself.
  if (caller.kind !== "user") throw new AppError("forbidden", "API tokens are created by a signed-in admin.");
  return NextResponse.json({ data: await createApiToken(body, caller) }, { status: 201 });
});
