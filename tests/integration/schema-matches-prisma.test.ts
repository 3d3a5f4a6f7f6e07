import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import internals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { withClient } from "../../lib/runtime/scratch-database";

/**
 * The hand-written SQL in prisma/migrations must build exactly the database prisma/schema.prisma
 * describes, because no schema engine is around to notice drift. Each check lists every problem.
 */
const { getDMMF } = internals;
type TDatamodel = Awaited<ReturnType<typeof getDMMF>>["datamodel"];
type TModel = TDatamodel["models"][number];
type TField = TModel["fields"][number];
type TIndex = TDatamodel["indexes"][number];

type TColumn = { type: string; typname: string; isEnum: boolean; notNull: boolean; default: string | null };
type TDbIndex = { table: string; name: string; unique: boolean; primary: boolean; columns: string[]; descending: boolean[] };
type TDbForeignKey = { table: string; name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string; onUpdate: string };
type TCatalog = {
  tables: string[];
  columns: Map<string, Map<string, TColumn>>;
  indexes: TDbIndex[];
  foreignKeys: TDbForeignKey[];
  enums: Map<string, string[]>;
};

const adminUrl = process.env.DATABASE_URL;
const databaseName = `sf_mig_${randomBytes(6).toString("hex")}`;
const root = process.cwd();
const PG_MAX_IDENTIFIER = 63;
// pg_constraint.confdeltype / confupdtype codes → Prisma's referential actions.
const REFERENTIAL_ACTIONS: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

let datamodel: TDatamodel;
let catalog: TCatalog;


async function readCatalog(client: pg.Client): Promise<TCatalog> {
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const columns = await client.query<{ table: string; column: string } & TColumn>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            t.typname, t.typtype = 'e' AS "isEnum", a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const indexes = await client.query<TDbIndex>(
    `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
            ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            ARRAY(SELECT (o.option & 1) = 1 FROM unnest(x.indoption::int2[]) WITH ORDINALITY o(option, ord) ORDER BY o.ord) AS descending
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relnamespace = current_schema()::regnamespace`,
  );
  const foreignKeys = await client.query<TDbForeignKey>(
    `SELECT t.relname AS table, k.conname AS name, r.relname AS "refTable",
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY c(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.attnum ORDER BY c.ord) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY c(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = c.attnum ORDER BY c.ord) AS "refColumns",
            k.confdeltype AS "onDelete", k.confupdtype AS "onUpdate"
     FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
     WHERE k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace`,
  );
  const enums = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
     FROM pg_type t WHERE t.typtype = 'e' AND t.typnamespace = current_schema()::regnamespace`,
  );

  const columnsByTable = new Map<string, Map<string, TColumn>>();
  for (const { table, column, ...rest } of columns.rows) {
    if (!columnsByTable.has(table)) columnsByTable.set(table, new Map());
    columnsByTable.get(table)?.set(column, rest);
  }
  return {
    tables: tables.rows.map((row) => row.name),
    columns: columnsByTable,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows.map((fk) => ({ ...fk, onDelete: REFERENTIAL_ACTIONS[fk.onDelete] ?? fk.onDelete, onUpdate: REFERENTIAL_ACTIONS[fk.onUpdate] ?? fk.onUpdate })),
    enums: new Map(enums.rows.map((row) => [row.name, row.labels])),
  };
}

const tableOf = (model: TModel) => model.dbName ?? model.name;
const columnOf = (field: TField) => field.dbName ?? field.name;
const isColumn = (field: TField) => field.kind === "scalar" || field.kind === "enum";
const list = (names: readonly string[]) => `(${names.join(", ")})`;

function modelNamed(name: string): TModel {
  const model = datamodel.models.find((candidate) => candidate.name === name);
  if (!model) throw new Error(`model ${name} is referenced but not defined`);
  return model;
}

function columnsOf(model: TModel, fieldNames: readonly string[]): string[] {
  return fieldNames.map((name) => {
    const field = model.fields.find((candidate) => candidate.name === name);
    if (!field) throw new Error(`${model.name} has no field ${name}`);
    return columnOf(field);
  });
}

function enumDbName(enumName: string): string {
  const found = datamodel.enums.find((candidate) => candidate.name === enumName);
  return found?.dbName ?? enumName;
}

/** Prisma's default constraint name; null when it would exceed PostgreSQL's limit (Prisma then truncates). */
function defaultName(table: string, columns: readonly string[], suffix: "pkey" | "key" | "idx" | "fkey"): string | null {
  const name = suffix === "pkey" ? `${table}_pkey` : `${table}_${columns.join("_")}_${suffix}`;
  return name.length <= PG_MAX_IDENTIFIER ? name : null;
}

/** The column type Prisma's migrate would create, as format_type() prints it. */
function expectedType(field: TField): string {
  const [native, args] = field.nativeType ?? [null, []];
  const precision = (fallback: string) => (args[0] === undefined ? fallback : `(${args[0]})`);
  const byType: Record<string, () => string | undefined> = {
    String: () => ({ Uuid: "uuid", Text: "text", VarChar: `character varying${precision("")}`, Char: `character${precision("(1)")}`, Citext: "citext", Inet: "inet" } as Record<string, string>)[native ?? "Text"],
    Int: () => ({ Integer: "integer", SmallInt: "smallint" } as Record<string, string>)[native ?? "Integer"],
    BigInt: () => (native === null || native === "BigInt" ? "bigint" : undefined),
    Float: () => ({ DoublePrecision: "double precision", Real: "real" } as Record<string, string>)[native ?? "DoublePrecision"],
    Decimal: () => (native === null ? "numeric(65,30)" : native === "Decimal" ? `numeric${args.length ? `(${args.join(",")})` : ""}` : undefined),
    Boolean: () => "boolean",
    Json: () => ({ JsonB: "jsonb", Json: "json" } as Record<string, string>)[native ?? "JsonB"],
    Bytes: () => "bytea",
    DateTime: () =>
      native === null ? "timestamp(3) without time zone"
      : native === "Timestamptz" ? `timestamp${precision("")} with time zone`
      : native === "Timestamp" ? `timestamp${precision("")} without time zone`
      : native === "Date" ? "date"
      : undefined,
  };
  const type = byType[field.type]?.();
  if (type === undefined) throw new Error(`no mapping for ${field.type}${native ? ` @db.${native}` : ""} in this test; extend expectedType()`);
  return field.isList ? `${type}[]` : type;
}

/** The column default Prisma's migrate would create (pg_get_expr text); undefined = any non-null. */
function expectedDefault(field: TField): string | null | undefined {
  const value = field.default;
  if (value === undefined) return null;
  if (typeof value === "object") {
    // A list default (scalar lists) is an array literal; accept any.
    if (!("name" in value)) return undefined;
    if (value.name === "now") return "CURRENT_TIMESTAMP";
    if (value.name === "autoincrement") return undefined;
    // Generated by Prisma Client, not by the database.
    if (["uuid", "cuid", "nanoid", "ulid"].includes(value.name)) return null;
    return undefined;
  }
  if (field.kind === "enum") {
    const mapped = datamodel.enums.find((candidate) => candidate.name === field.type)?.values.find((v) => v.name === value);
    return `'${mapped?.dbName ?? String(value)}'::${enumDbName(field.type)}`;
  }
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'::${field.type === "Json" ? "jsonb" : "text"}`;
  return String(value);
}

function describeIndex(index: TDbIndex): string {
  const kind = index.primary ? "primary key" : index.unique ? "unique index" : "index";
  return `${kind} ${index.name} on ${index.table}${list(index.columns.map((column, i) => (index.descending[i] ? `${column} DESC` : column)))}`;
}

/** Every index Prisma would create for a model: @id, @unique/@@unique and @@index. */
function expectedIndexes(model: TModel): TIndex[] {
  const declared = (datamodel.indexes ?? []).filter((index) => index.model === model.name);
  // Fall back on the older DMMF fields for any key the indexes list lacks.
  const has = (type: TIndex["type"], fields: readonly string[]) =>
    declared.some((index) => index.type === type && index.fields.map((f) => f.name).join() === fields.join());
  const extra: TIndex[] = [];
  const idFields = model.primaryKey?.fields ?? model.fields.filter((field) => field.isId).map((field) => field.name);
  if (idFields.length && !has("id", idFields)) extra.push({ model: model.name, type: "id", isDefinedOnField: false, fields: idFields.map((name) => ({ name })) });
  const uniques = [...model.fields.filter((field) => field.isUnique).map((field) => [field.name]), ...model.uniqueFields];
  for (const fields of uniques) {
    if (!has("unique", fields)) extra.push({ model: model.name, type: "unique", isDefinedOnField: false, fields: fields.map((name) => ({ name })) });
  }
  return [...declared, ...extra];
}

beforeAll(async () => {
  if (!adminUrl) throw new Error("DATABASE_URL is not set (this test needs a PostgreSQL server)");
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(databaseName)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  await applyMigrations({ connectionString: url.toString(), migrationsDir: path.join(root, "prisma", "migrations"), log: () => undefined });
  const dmmf = await getDMMF({ datamodel: fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8") });
  datamodel = dmmf.datamodel;
  catalog = await withClient(url.toString(), readCatalog);
});

afterAll(async () => {
  if (!adminUrl) return;
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName)} WITH (FORCE)`));
});

describe("prisma/migrations build the database prisma/schema.prisma describes", () => {
  it("has a table for every model and no other tables", () => {
    const expected = datamodel.models.map(tableOf);
    const problems = [
      ...expected.filter((table) => !catalog.tables.includes(table)).map((table) => `table ${table} is missing`),
      ...catalog.tables.filter((table) => table !== "_prisma_migrations" && !expected.includes(table)).map((table) => `table ${table} exists but no model maps to it`),
    ];
    expect(problems).toEqual([]);
  });

  it("has every column with the right type and nullability, and no others", () => {
    const problems: string[] = [];
    for (const model of datamodel.models) {
      const table = tableOf(model);
      const actual = catalog.columns.get(table) ?? new Map<string, TColumn>();
      const fields = model.fields.filter(isColumn);
      for (const field of fields) {
        const where = `${model.name}.${field.name} (${table}.${columnOf(field)})`;
        const column = actual.get(columnOf(field));
        if (!column) {
          problems.push(`${where}: column is missing`);
          continue;
        }
        if (field.kind === "enum") {
          const enumName = enumDbName(field.type);
          const type = field.isList ? `_${enumName}` : enumName;
          if (column.typname !== type || (!field.isList && !column.isEnum)) problems.push(`${where}: expected enum ${type}, found ${column.type}`);
        } else {
          const type = expectedType(field);
          if (column.type !== type) problems.push(`${where}: expected ${type}, found ${column.type}`);
        }
        if (column.notNull !== field.isRequired) problems.push(`${where}: expected ${field.isRequired ? "NOT NULL" : "nullable"}, found ${column.notNull ? "NOT NULL" : "nullable"}`);
      }
      const known = new Set(fields.map(columnOf));
      for (const column of actual.keys()) if (!known.has(column)) problems.push(`${table}.${column}: column exists but ${model.name} has no field for it`);
    }
    expect(problems).toEqual([]);
  });

  it("has the column defaults Prisma would create", () => {
    const problems: string[] = [];
    for (const model of datamodel.models) {
      for (const field of model.fields.filter(isColumn)) {
        const column = catalog.columns.get(tableOf(model))?.get(columnOf(field));
        if (!column) continue; // reported by the column check
        const expected = expectedDefault(field);
        const actual = column.default?.replaceAll('"', "") ?? null;
        const where = `${model.name}.${field.name} (${tableOf(model)}.${columnOf(field)})`;
        if (expected === undefined ? actual === null : actual !== expected) {
          problems.push(`${where}: expected default ${expected === undefined ? "(any)" : String(expected)}, found ${String(actual)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("has the primary keys, unique indexes and indexes of the schema", () => {
    const problems: string[] = [];
    for (const model of datamodel.models) {
      const table = tableOf(model);
      for (const index of expectedIndexes(model)) {
        const columns = columnsOf(model, index.fields.map((field) => field.name));
        const descending = index.fields.map((field) => field.sortOrder === "desc");
        const kind = index.type === "id" ? "primary key" : index.type === "unique" ? "unique index" : index.type === "normal" ? "index" : `${index.type} index`;
        const suffix = index.type === "id" ? "pkey" : index.type === "unique" ? "key" : "idx";
        const name = index.dbName ?? defaultName(table, columns, suffix);
        const found = catalog.indexes.find((candidate) =>
          candidate.table === table &&
          candidate.columns.join() === columns.join() &&
          candidate.primary === (index.type === "id") &&
          candidate.unique === (index.type !== "normal") &&
          candidate.descending.join() === descending.join());
        const described = `${model.name}: ${kind} on ${table}${list(columns.map((column, i) => (descending[i] ? `${column} DESC` : column)))}`;
        const similar = catalog.indexes.find((candidate) => candidate.table === table && candidate.columns.join() === columns.join());
        if (!found) problems.push(`${described} is missing${similar ? ` (${describeIndex(similar)} exists)` : ""}`);
        else if (name !== null && found.name !== name) problems.push(`${described} is named ${found.name}, Prisma expects ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has a foreign key with the right actions for every relation, and no others", () => {
    const problems: string[] = [];
    const expectedNames = new Set<string>();
    for (const model of datamodel.models) {
      const table = tableOf(model);
      for (const field of model.fields) {
        if (field.kind !== "object" || !field.relationFromFields?.length) continue;
        const target = modelNamed(field.type);
        const columns = columnsOf(model, field.relationFromFields);
        const refColumns = columnsOf(target, field.relationToFields ?? []);
        // Prisma's defaults: SetNull for an optional relation, Restrict for a required one; updates cascade.
        const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
        const onUpdate = field.relationOnUpdate ?? "Cascade";
        const described = `${model.name}.${field.name}: foreign key ${table}${list(columns)} → ${tableOf(target)}${list(refColumns)}`;
        const found = catalog.foreignKeys.find((fk) => fk.table === table && fk.columns.join() === columns.join());
        if (!found) {
          problems.push(`${described} ON DELETE ${onDelete} ON UPDATE ${onUpdate} is missing`);
          continue;
        }
        expectedNames.add(`${found.table}.${found.name}`);
        if (found.refTable !== tableOf(target) || found.refColumns.join() !== refColumns.join()) problems.push(`${described}: references ${found.refTable}${list(found.refColumns)} instead`);
        if (found.onDelete !== onDelete) problems.push(`${described}: ON DELETE ${found.onDelete}, expected ${onDelete}`);
        if (found.onUpdate !== onUpdate) problems.push(`${described}: ON UPDATE ${found.onUpdate}, expected ${onUpdate}`);
        const name = defaultName(table, columns, "fkey");
        if (name !== null && found.name !== name) problems.push(`${described}: named ${found.name}, Prisma expects ${name}`);
      }
    }
    for (const fk of catalog.foreignKeys) {
      if (!expectedNames.has(`${fk.table}.${fk.name}`)) problems.push(`foreign key ${fk.name} on ${fk.table}${list(fk.columns)} → ${fk.refTable} has no relation in the schema`);
    }
    expect(problems).toEqual([]);
  });

  it("has every enum with exactly its values, in order, and no other enums", () => {
    const problems: string[] = [];
    const expectedNames = datamodel.enums.map((item) => item.dbName ?? item.name);
    for (const item of datamodel.enums) {
      const name = item.dbName ?? item.name;
      const values = item.values.map((value) => value.dbName ?? value.name);
      const actual = catalog.enums.get(name);
      if (!actual) problems.push(`enum ${item.name}: type ${name} is missing`);
      else if (actual.join() !== values.join()) problems.push(`enum ${item.name}: type ${name} has ${list(actual)}, expected ${list(values)}`);
    }
    for (const name of catalog.enums.keys()) if (!expectedNames.includes(name)) problems.push(`enum type ${name} exists but the schema has no enum for it`);
    expect(problems).toEqual([]);
  });
});
