import { route } from "@/lib/http/route";
import { findTelemetry, ZTelemetryQuery } from "@/lib/telemetry/find-telemetry";

export const GET = route({ access: "VIEWER", query: ZTelemetryQuery }, async ({ query }) => findTelemetry(query));
