import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { findReasonCodes, ZReasonCodesQuery } from "@/lib/oee/find-reason-codes";
import { saveReasonCode, ZSaveReasonCode } from "@/lib/oee/save-reason-code";

export const GET = route({ access: "VIEWER", query: ZReasonCodesQuery }, async ({ query }) => ({ data: await findReasonCodes(query) }));

export const POST = route({ access: "ADMIN", body: ZSaveReasonCode }, async ({ body, caller }) => {
  const { created, reasonCode } = await saveReasonCode(body, caller);
  return NextResponse.json({ data: reasonCode }, { status: created ? 201 : 200 });
});
