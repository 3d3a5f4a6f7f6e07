import { NextResponse } from "next/server";
import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { findReasonCodes, ZReasonCodesQuery } from "@/lib/oee/find-reason-codes";
import { saveReasonCode, ZSaveReasonCode } from "@/lib/oee/save-reason-code";

export const GET = route({ access: "VIEWER", query: ZReasonCodesQuery }, async ({ query, caller }) => ({ data: await findReasonCodes(query, siteScopeOf(caller)) }));

export const POST = route({ access: "ADMIN", body: ZSaveReasonCode }, async ({ body, caller }) => {
  const { created, reasonCode } = await saveReasonCode(body, caller);
  return NextResponse.json({ data: reasonCode }, { status: created ? 201 : 200 });
});
