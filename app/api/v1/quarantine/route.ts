import { route } from "@/lib/http/route";
import { deleteQuarantinedMatching } from "@/lib/quarantine/delete-quarantined";
import { findQuarantined } from "@/lib/quarantine/find-quarantined";
import { ZQuarantineBulkDelete, ZQuarantineQuery } from "@/lib/quarantine/quarantine-fields";

export const GET = route({ access: "ADMIN", query: ZQuarantineQuery }, async ({ query }) => findQuarantined(query));

export const DELETE = route({ access: "ADMIN", query: ZQuarantineBulkDelete }, async ({ caller, query }) => ({
  data: await deleteQuarantinedMatching(query, caller),
}));
