import type { TDeclaration } from "@/lib/asset-types/declaration";
import { ZDeclaration } from "@/lib/asset-types/declaration";

/** What the editor holds: every field as typed, so a half-typed number is not lost or coerced. */
export type TMetricRow = { rowId: number; name: string; unit: string; dataType: string; min: string; max: string; displayPrecision: string };
export type TStateRow = { rowId: number; code: string; name: string };
export type TCommandRow = { rowId: number; name: string; description: string; payloadSchema: string };
export type TDraft = { metrics: TMetricRow[]; states: TStateRow[]; commands: TCommandRow[] };

let nextRowId = 1;
export const newRowId = () => nextRowId++;

export const emptyMetric = (): TMetricRow => ({ rowId: newRowId(), name: "", unit: "", dataType: "NUMBER", min: "", max: "", displayPrecision: "" });
export const emptyState = (): TStateRow => ({ rowId: newRowId(), code: "", name: "" });
export const emptyCommand = (): TCommandRow => ({ rowId: newRowId(), name: "", description: "", payloadSchema: "" });

const text = (value: number | string | null) => (value === null ? "" : String(value));

export function draftOf(declaration: TDeclaration): TDraft {
  return {
    metrics: declaration.metrics.map((metric) => ({
      rowId: newRowId(), name: metric.name, unit: text(metric.unit), dataType: metric.dataType,
      min: text(metric.min), max: text(metric.max), displayPrecision: text(metric.displayPrecision),
    })),
    states: declaration.states.map((state) => ({ rowId: newRowId(), code: String(state.code), name: state.name })),
    commands: declaration.commands.map((command) => ({
      rowId: newRowId(), name: command.name, description: text(command.description),
      payloadSchema: command.payloadSchema ? JSON.stringify(command.payloadSchema, null, 2) : "",
    })),
  };
}

/** A typed number, or the text itself so that the schema says what is wrong with it. */
function numberOrText(value: string): number | string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : trimmed;
}

/** The request body for the draft, and the problems by field path ("metrics.0.name"), as the server names them. */
export function checkDraft(draft: TDraft): { body: unknown; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body = {
    metrics: draft.metrics.map((row) => ({
      name: row.name.trim(), unit: row.unit.trim() || null, dataType: row.dataType,
      min: numberOrText(row.min), max: numberOrText(row.max), displayPrecision: numberOrText(row.displayPrecision),
    })),
    states: draft.states.map((row) => ({ code: numberOrText(row.code), name: row.name })),
    commands: draft.commands.map((row, index) => {
      let payloadSchema: unknown = null;
      if (row.payloadSchema.trim()) {
        try {
          payloadSchema = JSON.parse(row.payloadSchema);
        } catch {
          errors[`commands.${index}.payloadSchema`] = "payload schema is not valid JSON";
        }
      }
      return { name: row.name.trim(), description: row.description.trim() || null, payloadSchema };
    }),
  };
  const result = ZDeclaration.safeParse(body);
  if (!result.success) for (const issue of result.error.issues) errors[issue.path.join(".")] ??= issue.message;
  return { body, errors };
}
