"use client";

import { useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { metricDataTypes } from "@/lib/asset-types/declaration";
import { standardStates } from "@/lib/seed/demo-plant";
import { emptyCommand, emptyMetric, emptyState, newRowId, type TDraft } from "./declaration-draft";

type TEditorProps = {
  draft: TDraft;
  onChange: (draft: TDraft) => void;
  /** Problems by field path ("metrics.0.name"); shown under the field. */
  errors: Record<string, string>;
  disabled?: boolean;
};

const dataTypeLabels: Record<string, string> = { NUMBER: "Number", BOOLEAN: "Yes/no", STRING: "Text" };
const cell = "px-2 py-1.5 align-top";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="mt-1 text-xs text-danger-text">{message}</p> : null;
}

/** A field with a label for screen readers (the column heading shows it visually) and its error below. */
function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: ReactNode }) {
  return (
    <>
      <label htmlFor={id} className="sr-only">{label}</label>
      {children}
      <FieldError id={`${id}-error`} message={error} />
    </>
  );
}

const inputProps = (id: string, error: string | undefined) => ({ id, invalid: !!error, "aria-describedby": error ? `${id}-error` : undefined });

/** Metrics, states and commands of one version, editable; the caller validates and saves. */
export function DeclarationEditor({ draft, onChange, errors, disabled = false, idPrefix }: TEditorProps & { idPrefix: string }) {
  // New rows take focus; removing a row hands focus to its section's add button.
  const focusRowId = useRef<number | null>(null);
  const addMetricButton = useRef<HTMLButtonElement>(null);
  const addStateButton = useRef<HTMLButtonElement>(null);
  const addCommandButton = useRef<HTMLButtonElement>(null);
  const focusIfNew = (rowId: number) => (element: HTMLInputElement | null) => {
    if (element && focusRowId.current === rowId) {
      focusRowId.current = null;
      element.focus();
    }
  };

  function update<K extends keyof TDraft>(section: K, index: number, change: Partial<TDraft[K][number]>) {
    onChange({ ...draft, [section]: draft[section].map((row, at) => (at === index ? { ...row, ...change } : row)) });
  }
  function add<K extends keyof TDraft>(section: K, row: TDraft[K][number]) {
    focusRowId.current = row.rowId;
    onChange({ ...draft, [section]: [...draft[section], row] });
  }
  function remove(section: keyof TDraft, index: number) {
    onChange({ ...draft, [section]: draft[section].filter((_row, at) => at !== index) });
    const addButton = { metrics: addMetricButton, states: addStateButton, commands: addCommandButton }[section];
    addButton.current?.focus();
  }
  const missingStandardStates = standardStates.filter((standard) => !draft.states.some((row) => row.code.trim() === String(standard.code)));

  return (
    <div className="space-y-6">
      <fieldset disabled={disabled} className="space-y-2">
        <legend className="text-sm font-semibold">Metrics</legend>
        <p className="text-xs text-fg-muted">Names as the machine publishes them (A-Z a-z 0-9 _ - : and dots). Min and max are the expected range; precision is the decimals shown.</p>
        {draft.metrics.length ? (
          <div className="overflow-x-auto rounded-lg border border-line">
            <table className="w-full min-w-[720px] text-sm" data-testid={`${idPrefix}-metrics`}>
              <thead className="text-xs text-fg-muted">
                <tr>
                  {["Name", "Unit", "Data type", "Min", "Max", "Precision", ""].map((heading, index) => (
                    <th key={index} scope="col" className="px-2 py-2 text-left font-medium">{heading}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {draft.metrics.map((row, index) => {
                  const id = (field: string) => `${idPrefix}-metric-${row.rowId}-${field}`;
                  const error = (field: string) => errors[`metrics.${index}.${field}`];
                  const number = row.dataType === "NUMBER";
                  return (
                    <tr key={row.rowId} className="border-t border-line">
                      <td className={`${cell} w-[28%]`}>
                        <Field id={id("name")} label={`Name of metric ${index + 1}`} error={error("name")}>
                          <Input ref={focusIfNew(row.rowId)} {...inputProps(id("name"), error("name"))} autoComplete="off" spellCheck={false} value={row.name} onChange={(event) => update("metrics", index, { name: event.target.value })} />
                        </Field>
                      </td>
                      <td className={`${cell} w-[12%]`}>
                        <Field id={id("unit")} label={`Unit of metric ${index + 1}`} error={error("unit")}>
                          <Input {...inputProps(id("unit"), error("unit"))} autoComplete="off" value={row.unit} onChange={(event) => update("metrics", index, { unit: event.target.value })} />
                        </Field>
                      </td>
                      <td className={cell}>
                        <Field id={id("dataType")} label={`Data type of metric ${index + 1}`} error={error("dataType")}>
                          <Select id={id("dataType")} className="w-full" value={row.dataType} onChange={(event) => {
                            const dataType = event.target.value;
                            // Ranges and precision only mean something for numbers.
                            update("metrics", index, dataType === "NUMBER" ? { dataType } : { dataType, min: "", max: "", displayPrecision: "" });
                          }}>
                            {metricDataTypes.map((type) => <option key={type} value={type}>{dataTypeLabels[type] ?? type}</option>)}
                          </Select>
                        </Field>
                      </td>
                      {(["min", "max", "displayPrecision"] as const).map((field) => (
                        <td key={field} className={`${cell} w-[11%]`}>
                          <Field id={id(field)} label={`${field === "displayPrecision" ? "Precision" : field === "min" ? "Min" : "Max"} of metric ${index + 1}`} error={error(field)}>
                            <Input {...inputProps(id(field), error(field))} inputMode={field === "displayPrecision" ? "numeric" : "decimal"} disabled={!number}
                              placeholder={number ? (field === "displayPrecision" ? "0–6" : "none") : "–"} value={row[field]} onChange={(event) => update("metrics", index, { [field]: event.target.value })} />
                          </Field>
                        </td>
                      ))}
                      <td className={`${cell} text-right`}>
                        <Button variant="ghost" aria-label={`Remove metric ${row.name.trim() || index + 1}`} onClick={() => remove("metrics", index)}>Remove</Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : <p className="rounded-lg border border-dashed border-line-strong px-4 py-3 text-sm text-fg-muted">No metrics yet. Add one for each value the machine publishes (temperature, spindle speed…).</p>}
        <Button ref={addMetricButton} variant="secondary" onClick={() => add("metrics", emptyMetric())}>Add metric</Button>
      </fieldset>

      <fieldset disabled={disabled} className="space-y-2">
        <legend className="text-sm font-semibold">States</legend>
        <p className="text-xs text-fg-muted">Machine state codes from 10000 to 229999 (running 10000–29999 … technical 180000–229999); sub-reasons such as 180001 are fine.</p>
        {draft.states.length ? (
          <ul className="grid gap-2 sm:grid-cols-2" data-testid={`${idPrefix}-states`}>
            {draft.states.map((row, index) => {
              const id = (field: string) => `${idPrefix}-state-${row.rowId}-${field}`;
              const error = (field: string) => errors[`states.${index}.${field}`];
              return (
                <li key={row.rowId} className="flex items-start gap-2">
                  <div className="w-32 shrink-0">
                    <Field id={id("code")} label={`Code of state ${index + 1}`} error={error("code")}>
                      <Input ref={focusIfNew(row.rowId)} {...inputProps(id("code"), error("code"))} inputMode="numeric" placeholder="code" value={row.code} onChange={(event) => update("states", index, { code: event.target.value })} />
                    </Field>
                  </div>
                  <div className="min-w-0 flex-1">
                    <Field id={id("name")} label={`Name of state ${index + 1}`} error={error("name")}>
                      <Input {...inputProps(id("name"), error("name"))} placeholder="name" value={row.name} onChange={(event) => update("states", index, { name: event.target.value })} />
                    </Field>
                  </div>
                  <Button variant="ghost" aria-label={`Remove state ${row.code.trim() || index + 1}`} onClick={() => remove("states", index)}>Remove</Button>
                </li>
              );
            })}
          </ul>
        ) : <p className="rounded-lg border border-dashed border-line-strong px-4 py-3 text-sm text-fg-muted">No states yet. Add the standard states, or the codes this machine reports.</p>}
        <div className="flex flex-wrap gap-2">
          <Button ref={addStateButton} variant="secondary" onClick={() => add("states", emptyState())}>Add state</Button>
          {missingStandardStates.length ? (
            <Button variant="ghost" onClick={() => onChange({ ...draft, states: [...draft.states, ...missingStandardStates.map((state) => ({ rowId: newRowId(), code: String(state.code), name: state.name }))] })}>
              Add the {missingStandardStates.length === standardStates.length ? "" : "missing "}standard states
            </Button>
          ) : null}
        </div>
      </fieldset>

      <fieldset disabled={disabled} className="space-y-2">
        <legend className="text-sm font-semibold">Commands</legend>
        <p className="text-xs text-fg-muted">Commands Shopfloor may send to the machine. The payload schema is optional JSON Schema of an object, e.g. {'{"type": "object", "properties": {"reason": {"type": "string"}}}'}.</p>
        {draft.commands.length ? (
          <ul className="space-y-3" data-testid={`${idPrefix}-commands`}>
            {draft.commands.map((row, index) => {
              const id = (field: string) => `${idPrefix}-command-${row.rowId}-${field}`;
              const error = (field: string) => errors[`commands.${index}.${field}`];
              return (
                <li key={row.rowId} className="grid gap-2 rounded-lg border border-line p-3 sm:grid-cols-[12rem_1fr_auto]">
                  <div>
                    <Field id={id("name")} label={`Name of command ${index + 1}`} error={error("name")}>
                      <Input ref={focusIfNew(row.rowId)} {...inputProps(id("name"), error("name"))} autoComplete="off" spellCheck={false} placeholder="name, e.g. safe-stop" value={row.name} onChange={(event) => update("commands", index, { name: event.target.value })} />
                    </Field>
                  </div>
                  <div className="space-y-2">
                    <Field id={id("description")} label={`Description of command ${index + 1}`} error={error("description")}>
                      <Input {...inputProps(id("description"), error("description"))} placeholder="what it does (optional)" value={row.description} onChange={(event) => update("commands", index, { description: event.target.value })} />
                    </Field>
                    <Field id={id("payloadSchema")} label={`Payload schema of command ${index + 1}`} error={error("payloadSchema")}>
                      <textarea id={id("payloadSchema")} aria-invalid={!!error("payloadSchema") || undefined} aria-describedby={error("payloadSchema") ? `${id("payloadSchema")}-error` : undefined}
                        rows={row.payloadSchema ? 4 : 2} spellCheck={false} placeholder="payload JSON Schema (optional)"
                        className={`block w-full rounded-md border bg-surface px-3 py-2 font-mono text-sm text-fg shadow-xs ${error("payloadSchema") ? "border-danger-text" : "border-line-strong"}`}
                        value={row.payloadSchema} onChange={(event) => update("commands", index, { payloadSchema: event.target.value })} />
                    </Field>
                  </div>
                  <div className="text-right">
                    <Button variant="ghost" aria-label={`Remove command ${row.name.trim() || index + 1}`} onClick={() => remove("commands", index)}>Remove</Button>
                  </div>
                </li>
              );
            })}
          </ul>
        ) : <p className="rounded-lg border border-dashed border-line-strong px-4 py-3 text-sm text-fg-muted">No commands. Add one if Shopfloor should be able to tell this machine to do something (e.g. a safe stop).</p>}
        <Button ref={addCommandButton} variant="secondary" onClick={() => add("commands", emptyCommand())}>Add command</Button>
      </fieldset>
    </div>
  );
}
