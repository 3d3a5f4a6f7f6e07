import { route } from "@/lib/http/route";
import { getIngestSettings, updateIngestSettings, ZUpdateIngestSettings } from "@/lib/topics/ingest-settings";

export const GET = route({ access: "ADMIN" }, async () => ({ data: await getIngestSettings() }));

export const PUT = route({ access: "ADMIN", body: ZUpdateIngestSettings, maxBodyBytes: 2_000 }, async ({ caller, body }) => ({
  data: await updateIngestSettings(body, caller),
}));
