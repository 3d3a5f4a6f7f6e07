import { route } from "@/lib/http/route";
import { deleteQuarantined } from "@/lib/quarantine/delete-quarantined";
import { getQuarantined } from "@/lib/quarantine/find-quarantined";
import { parseQuarantineId } from "@/lib/quarantine/quarantine-fields";

export const GET = route({ access: "ADMIN" }, async ({ params }) => ({ data: await getQuarantined(parseQuarantineId(params.id)) }));

export const DELETE = route({ access: "ADMIN" }, async ({ caller, params }) => ({ data: await deleteQuarantined(parseQuarantineId(params.id), caller) }));
