import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { TCaller } from "../auth/caller";
import { getDb } from "../db";
import { defaultIngestSettings, ingestSettingKeys, ZSparkplugPathTemplate } from "../ingest/ingest-settings";

export type TIngestSettings = { autoRegister: boolean; sparkplugPathTemplate: string };

export const ZUpdateIngestSettings = z
  .strictObject({
    autoRegister: z.boolean({ error: "autoRegister must be true or false" }).optional(),
    sparkplugPathTemplate: ZSparkplugPathTemplate.optional(),
  })
  .refine((input) => input.autoRegister !== undefined || input.sparkplugPathTemplate !== undefined, { error: "send autoRegister, sparkplugPathTemplate or both" });
export type TUpdateIngestSettings = z.infer<typeof ZUpdateIngestSettings>;

type TSettingsReader = Pick<ReturnType<typeof getDb>, "setting">;

/** The ingest settings workers follow (unless their environment pins one). */
export async function getIngestSettings(db: TSettingsReader = getDb()): Promise<TIngestSettings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.values(ingestSettingKeys) } } });
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  const autoRegister = stored.get(ingestSettingKeys.autoRegister);
  const template = stored.get(ingestSettingKeys.sparkplugPathTemplate);
  return {
    autoRegister: typeof autoRegister === "boolean" ? autoRegister : defaultIngestSettings.autoRegister,
    sparkplugPathTemplate: typeof template === "string" ? template : defaultIngestSettings.sparkplugPathTemplate,
  };
}

/** Changes the given settings, one audit row per changed key; workers apply them within 5 s. */
export async function updateIngestSettings(input: TUpdateIngestSettings, caller: TCaller): Promise<TIngestSettings> {
  return getDb().$transaction(async (tx) => {
    // Two admins saving at once: one after the other, each audit row with the true "before".
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('shopfloor:ingest-settings'))`;
    const before = await getIngestSettings(tx);
    const changes = (Object.keys(ingestSettingKeys) as (keyof TIngestSettings)[])
      .filter((name) => input[name] !== undefined && input[name] !== before[name]);
    for (const name of changes) {
      const key = ingestSettingKeys[name];
      const value = input[name]!;
      await tx.$executeRaw`INSERT INTO settings (key, value, updated_at) VALUES (${key}, ${JSON.stringify(value)}::jsonb, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`;
      await recordAudit(tx, caller, { action: "setting.update", entity: "setting", entityId: key, before: { value: before[name] }, after: { value } });
    }
    return { ...before, ...Object.fromEntries(changes.map((name) => [name, input[name]])) } as TIngestSettings;
  });
}
