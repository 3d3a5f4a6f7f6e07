import { z } from "zod";

/**
 * The ingest settings an admin changes at /admin/topics, stored in the settings table and read
 * by every worker every few seconds (ingest-worker/pipeline.ts), so no restart is needed.
 * A worker's environment may pin either one (INGEST_AUTO_REGISTER, SPARKPLUG_PATH_TEMPLATE).
 */
export const ingestSettingKeys = {
  autoRegister: "ingest.autoRegister",
  sparkplugPathTemplate: "ingest.sparkplugPathTemplate",
} as const;

export const defaultIngestSettings = {
  /** Unknown asset paths become assets; off, they wait in the unmapped list for an admin. */
  autoRegister: true,
  sparkplugPathTemplate: "{group}/{edge_node}/{device}",
} as const;

const placeholders = ["{group}", "{edge_node}", "{device}"] as const;
const literalLevel = /^[A-Za-z0-9_-]{1,64}$/;
/** Asset paths have at most five levels (enterprise … work cell). */
const maxLevels = 5;

/**
 * Why a Sparkplug mapping template cannot be used, or undefined. A template is slash-separated
 * levels, each a fixed slug or one of {group}, {edge_node}, {device}; {device} is the last level
 * (an edge node's own metrics go to the path without it), so devices never share an asset.
 */
export function sparkplugTemplateProblem(template: string): string | undefined {
  if (!template) return "enter a template such as {group}/{edge_node}/{device}";
  const levels = template.split("/");
  if (levels.some((level) => !level)) return "levels must not be empty (check for \"//\" or a slash at either end)";
  if (levels.length > maxLevels) return `at most ${maxLevels} levels (enterprise/site/area/line/work cell)`;
  for (const level of levels) {
    if (level.includes("{") || level.includes("}")) {
      if (!(placeholders as readonly string[]).includes(level)) return `"${level.slice(0, 40)}" is not a placeholder; use {group}, {edge_node} or {device} as a whole level`;
    } else if (!literalLevel.test(level)) {
      return `"${level.slice(0, 40)}" must be 1–64 characters from a-z A-Z 0-9 - _`;
    }
  }
  for (const placeholder of placeholders) {
    if (levels.filter((level) => level === placeholder).length > 1) return `${placeholder} appears more than once`;
  }
  if (levels.at(-1) !== "{device}") return "end with /{device}, so that every device gets an asset of its own";
  if (levels.length < 2) return "put at least one level before {device}: the edge node's own metrics go there";
  return undefined;
}

export const ZSparkplugPathTemplate = z
  .string({ error: "sparkplugPathTemplate must be a string" })
  .trim()
  .max(400, { error: "sparkplugPathTemplate must be at most 400 characters" })
  .superRefine((template, context) => {
    const problem = sparkplugTemplateProblem(template);
    if (problem) context.addIssue({ code: "custom", message: `sparkplugPathTemplate: ${problem}` });
  });

/**
 * Sparkplug group/edge node/device → asset path. Device metrics use the template; node metrics
 * use it without its "/{device}" part (e.g. acme/detroit/assembly/line-a/{device} puts the
 * edge node's own metrics on the line).
 */
export function sparkplugPathMapper(template: string) {
  const nodeTemplate = template.replace(/\/\{device\}/g, "");
  return (group: string, edgeNode: string, device?: string) =>
    (device === undefined ? nodeTemplate : template)
      .replaceAll("{group}", group)
      .replaceAll("{edge_node}", edgeNode)
      .replaceAll("{device}", device ?? "");
}
