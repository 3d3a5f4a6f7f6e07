import { z } from "zod";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { declarationLimits, declarationShape, refineUniqueDeclarations, type TDeclaration } from "./declaration";

const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/;

/** Lower-case letters, digits and single hyphens, like the demo plant's `stamping-press`. */
export const ZAssetTypeKey = z
  .string({ error: "key is required" })
  .trim()
  .min(1, { error: "key must not be empty" })
  .max(64, { error: "key must be at most 64 characters" })
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "key may use a-z, 0-9 and single hyphens between them, e.g. stamping-press" });

export const ZCreateAssetType = z
  .strictObject({
    key: ZAssetTypeKey,
    name: z
      .string({ error: "name is required" })
      .trim()
      .min(1, { error: "name must not be empty" })
      .max(declarationLimits.maxNameLength, { error: `name must be at most ${declarationLimits.maxNameLength} characters` })
      .refine((name) => !controlCharacters.test(name), { error: "name must not contain control characters" }),
    description: z
      .string({ error: "description must be text" })
      .trim()
      .max(declarationLimits.maxDescriptionLength, { error: `description must be at most ${declarationLimits.maxDescriptionLength} characters` })
      .refine((text) => !controlCharacters.test(text.replaceAll(/[\n\t]/g, "")), { error: "description must not contain control characters" })
      .nullish()
      .transform((text) => text || null),
    ...declarationShape,
  })
  .superRefine(refineUniqueDeclarations);
export type TCreateAssetType = z.infer<typeof ZCreateAssetType>;

export const ZCreateTypeVersion = z
  .strictObject({
    /** The version the edit started from: if another one was saved meanwhile, the save is refused (409) instead of silently undoing it. */
    baseVersion: z.number({ error: "baseVersion must be a version number" }).int({ error: "baseVersion must be a version number" }).min(1).optional(),
    ...declarationShape,
  })
  .superRefine(refineUniqueDeclarations);
export type TCreateTypeVersion = z.infer<typeof ZCreateTypeVersion>;

export const ZMoveAssets = z.strictObject({
  assetIds: z
    .array(z.uuid({ error: "assetIds must hold asset ids (UUIDs)" }), { error: "assetIds must be a list of asset ids" })
    .min(1, { error: "assetIds must name at least one asset" })
    .max(1000, { error: "assetIds may name at most 1000 assets" })
    .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, { error: "assetIds must not repeat an asset" }),
});
export type TMoveAssets = z.infer<typeof ZMoveAssets>;

/** The `[id]` segment; anything that is not a type id is simply not found. */
export function parseTypeId(value: unknown): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw new AppError("not_found", "No such asset type.");
  return parsed.data;
}

/** The `[version]` segment: a positive version number, else not found. */
export function parseVersionNumber(value: unknown): number {
  const text = typeof value === "string" ? value : "";
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw new AppError("not_found", "No such version of this asset type.");
  return Number(text);
}

export const declarationSelect = {
  metrics: { select: { name: true, unit: true, dataType: true, min: true, max: true, displayPrecision: true }, orderBy: { name: "asc" } },
  states: { select: { code: true, name: true }, orderBy: { code: "asc" } },
  commands: { select: { name: true, description: true, payloadSchema: true }, orderBy: { name: "asc" } },
} as const satisfies Prisma.AssetTypeVersionSelect;

type TStoredDeclaration = Prisma.AssetTypeVersionGetPayload<{ select: typeof declarationSelect }>;

/** A stored declaration in the API's shape (payload schemas were validated as objects when saved). */
export function toDeclaration(stored: TStoredDeclaration): TDeclaration {
  return {
    metrics: stored.metrics,
    states: stored.states,
    commands: stored.commands.map((command) => ({ ...command, payloadSchema: (command.payloadSchema ?? null) as Record<string, unknown> | null })),
  };
}

/** Nested creates for a version's declarations. */
export function declarationCreate(declaration: TDeclaration) {
  return {
    metrics: { create: declaration.metrics },
    states: { create: declaration.states },
    commands: {
      create: declaration.commands.map((command) => ({
        ...command,
        payloadSchema: command.payloadSchema === null ? Prisma.DbNull : (command.payloadSchema as Prisma.InputJsonObject),
      })),
    },
  };
}

/** Declarations in a stable order, so two of them compare equal whatever order the client listed them in. */
export function normalizedDeclaration(declaration: TDeclaration): TDeclaration {
  return {
    metrics: [...declaration.metrics].sort((a, b) => a.name.localeCompare(b.name)),
    states: [...declaration.states].sort((a, b) => a.code - b.code),
    commands: [...declaration.commands].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The declaration as an audit row stores it, in stable order (it came from JSON, so it is JSON). */
export function auditedDeclaration(declaration: TDeclaration): Prisma.InputJsonObject {
  return normalizedDeclaration(declaration) as unknown as Prisma.InputJsonObject;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
