import { siteScopeOf } from "@/lib/auth/site-scope";
import { route } from "@/lib/http/route";
import { findTelemetry, ZTelemetryQuery } from "@/lib/telemetry/find-telemetry";

export const GET = route({ access: "VIEWER", query: ZTelemetryQuery }, async ({ query, caller }) => findTelemetry(query, siteScopeOf(caller)));
