import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { createUser, ZCreateUser } from "@/lib/users/create-user";
import { findUsers } from "@/lib/users/find-users";

export const GET = route({ access: "ADMIN" }, async () => ({ data: await findUsers() }));

export const POST = route({ access: "ADMIN", body: ZCreateUser, maxBodyBytes: 10_000 }, async ({ caller, body }) =>
  NextResponse.json({ data: await createUser(body, caller) }, { status: 201 }));
