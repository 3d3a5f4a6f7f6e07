import { route } from "@/lib/http/route";
import { retryQuarantined } from "@/lib/quarantine/retry-quarantined";
import { parseQuarantineId } from "@/lib/quarantine/quarantine-fields";

export const POST = route({ access: "ADMIN" }, async ({ caller, params }) => ({ data: await retryQuarantined(parseQuarantineId(params.id), caller) }));
