import { NextResponse } from "next/server";
import { getHealth } from "@/lib/health/get-health";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ access: "public" }, async () => {
  const health = await getHealth();
  return NextResponse.json(health, { status: health.database.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
