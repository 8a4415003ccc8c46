/**
 * Compares schema.prisma (parsed by Prisma's own WASM parser, get_dmmf) with a live database's
 * catalog, in both directions, so migrations and the Prisma schema cannot drift apart silently.
 *
 * Both sides are reduced to the same shape: objects keyed by name, each a record of attributes
 * rendered as strings (types as format_type() prints them, defaults normalized). Differences are
 * reported one line per attribute, e.g.
 *   `column flags.rules: default differs: expected '[]', found none`.
 * Schema features this comparison does not model (implicit many-to-many, views, @relation(map:),
 * unusual native types) make `expectedSchema` throw rather than pass unchecked.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type pg from "pg";

type Attrs = Record<string, string>;

/** Everything the comparison looks at, keyed by object name. */
export interface SchemaShape {
  enums: Map<string, Attrs>;
  tables: Map<string, Attrs>;
  /** `<table>.<column>` → type, nullability, default */
  columns: Map<string, Attrs>;
  /** table → constraint name and columns */
  primaryKeys: Map<string, Attrs>;
  /** index name → table, columns, uniqueness, method, predicate (primary-key indexes excluded) */
  indexes: Map<string, Attrs>;
  /** `<table>.<constraint>` → columns, referenced table/columns, actions */
  foreignKeys: Map<string, Attrs>;
  /** Objects Prisma cannot describe: `trigger <table>.<name>`, `function <name>`, `sequence <name>`, … */
  others: Map<string, Attrs>;
}

/** Database objects that exist on purpose although schema.prisma cannot express them. */
export interface Allowlist {
  tables: string[];
  indexes: string[];
  /** `trigger <table>.<name>`, `function <name>` */
  others: string[];
}

/** What prisma/migrations adds beyond schema.prisma (see 20261124000100_audit_append_only). */
export const MIGRATION_ONLY_OBJECTS: Allowlist = {
  tables: ["_prisma_migrations"],
  indexes: ["rollouts_one_active_per_flag"],
  others: [
    "function audit_records_refuse_change",
    "function environments_notify_config_change",
    "trigger audit_records.audit_records_append_only",
    "trigger audit_records.audit_records_no_truncate",
    "trigger environments.environments_config_version_notify",
  ],
};

export const SCHEMA_PATH = path.resolve(import.meta.dirname, "../../../prisma/schema.prisma");

// ---------------------------------------------------------------------------------------------
// Expected side: schema.prisma → SchemaShape

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  isUpdatedAt?: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
}
interface Dmmf {
  enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
  models: DmmfModel[];
  types: unknown[];
  indexes: DmmfIndex[];
}

export function parsePrismaSchema(text: string): Dmmf {
  const out = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", text]] })));
  return out.datamodel as Dmmf;
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Boolean: "boolean",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

/** Native types as format_type() prints them; unlisted ones throw so they get added deliberately. */
function nativeTypeName([name, args]: [string, string[]]): string {
  const a = args.join(",");
  const withArgs = (base: string) => (a ? `${base}(${a})` : base);
  switch (name) {
    case "Timestamptz":
      return `timestamp(${a || "6"}) with time zone`;
    case "Timestamp":
      return `timestamp(${a || "6"}) without time zone`;
    case "Text":
      return "text";
    case "VarChar":
      return withArgs("character varying");
    case "Char":
      return withArgs("character");
    case "Uuid":
      return "uuid";
    case "SmallInt":
      return "smallint";
    case "Integer":
      return "integer";
    case "BigInt":
      return "bigint";
    case "DoublePrecision":
      return "double precision";
    case "Real":
      return "real";
    case "Decimal":
      return withArgs("numeric");
    case "Date":
      return "date";
    case "JsonB":
      return "jsonb";
    case "Json":
      return "json";
    case "ByteA":
      return "bytea";
    default:
      throw new Error(`schema-compare: native type @db.${name} is not mapped yet`);
  }
}

/** Identifier as format_type() prints it: quoted unless plain lower-case. */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const CLIENT_SIDE_DEFAULTS = new Set(["uuid", "cuid", "nanoid", "ulid"]);
const NUMERIC_TYPES = new Set(["Int", "BigInt", "Float", "Decimal"]);

function expectedDefault(field: DmmfField): string | null {
  const d = field.default;
  if (d === undefined || d === null) return null;
  if (typeof d === "object" && !Array.isArray(d)) {
    const fn = d as { name: string; args: unknown[] };
    if (fn.name === "now") return "now()";
    if (fn.name === "autoincrement") return "autoincrement()";
    if (CLIENT_SIDE_DEFAULTS.has(fn.name)) return null;
    throw new Error(`schema-compare: default ${fn.name}() on ${field.name} is not mapped yet`);
  }
  if (typeof d === "boolean") return String(d);
  if (typeof d === "number" || NUMERIC_TYPES.has(field.type)) return canonicalNumber(String(d));
  if (typeof d === "string") return `'${d.replace(/'/g, "''")}'`;
  throw new Error(`schema-compare: default ${JSON.stringify(d)} on ${field.name} is not mapped yet`);
}

function canonicalNumber(text: string): string {
  return /^-?\d+$/.test(text) ? text.replace(/^(-?)0+(?=\d)/, "$1") : String(Number(text));
}

const ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

/** The shape Prisma Migrate would create for this schema. */
export function expectedSchema(schemaText: string = readFileSync(SCHEMA_PATH, "utf8")): SchemaShape {
  if (/@relation\([^)]*\bmap\s*:/.test(schemaText)) {
    throw new Error("schema-compare: @relation(map:) is not exposed by get_dmmf; extend the comparison");
  }
  const dmmf = parsePrismaSchema(schemaText);
  if (dmmf.types.length > 0) throw new Error("schema-compare: composite types are not supported");
  const shape = emptyShape();
  const enumDbName = new Map(dmmf.enums.map((e) => [e.name, e.dbName ?? e.name]));
  for (const e of dmmf.enums) {
    shape.enums.set(e.dbName ?? e.name, { values: e.values.map((v) => v.dbName ?? v.name).join(", ") });
  }
  const tableOf = (modelName: string) => {
    const model = dmmf.models.find((m) => m.name === modelName);
    if (!model) throw new Error(`schema-compare: unknown model ${modelName}`);
    return model;
  };
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    if (!field) throw new Error(`schema-compare: unknown field ${model.name}.${fieldName}`);
    return field.dbName ?? field.name;
  };

  for (const model of dmmf.models) {
    const table = model.dbName ?? model.name;
    shape.tables.set(table, {});
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.isList && !field.relationFromFields?.length) {
          const other = tableOf(field.type).fields.find((f) => f.type === model.name && f.kind === "object");
          if (other?.isList) throw new Error("schema-compare: implicit many-to-many relations are not supported");
        }
        if (!field.relationFromFields?.length) continue;
        const target = tableOf(field.type);
        const from = field.relationFromFields.map((n) => columnOf(model, n));
        const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
        shape.foreignKeys.set(`${table}.${constraintName(table, from, "fkey")}`, {
          columns: `(${from.join(", ")})`,
          references: `${target.dbName ?? target.name}(${(field.relationToFields ?? []).map((n) => columnOf(target, n)).join(", ")})`,
          onDelete: ACTIONS[onDelete] ?? onDelete,
          onUpdate: ACTIONS[field.relationOnUpdate ?? "Cascade"] ?? String(field.relationOnUpdate),
        });
        continue;
      }
      if (field.kind === "unsupported") throw new Error(`schema-compare: Unsupported type on ${field.name}`);
      const base = field.kind === "enum" ? quoteIdent(enumDbName.get(field.type) ?? field.type) : field.nativeType ? nativeTypeName(field.nativeType) : SCALAR_TYPES[field.type];
      if (!base) throw new Error(`schema-compare: type ${field.type} is not mapped yet`);
      shape.columns.set(`${table}.${field.dbName ?? field.name}`, {
        type: field.isList ? `${base}[]` : base,
        // Prisma Migrate creates scalar lists as nullable columns (prisma/prisma#4729).
        nullability: field.isRequired && !field.isList ? "NOT NULL" : "NULL",
        default: expectedDefault(field) ?? "none",
      });
    }
  }

  for (const index of dmmf.indexes) {
    const model = tableOf(index.model);
    const table = model.dbName ?? model.name;
    const columns = index.fields.map((f) => columnOf(model, f.name));
    if (index.type === "id") {
      shape.primaryKeys.set(table, {
        name: index.dbName ?? `${table}_pkey`,
        columns: `(${columns.join(", ")})`,
      });
      continue;
    }
    if (index.type === "fulltext") throw new Error("schema-compare: fulltext indexes are not supported");
    const unique = index.type === "unique";
    const name = index.dbName ?? constraintName(table, columns, unique ? "key" : "idx");
    shape.indexes.set(name, {
      table,
      columns: `(${index.fields.map((f, i) => columns[i] + (f.sortOrder === "desc" ? " DESC" : "")).join(", ")})`,
      unique: unique ? "UNIQUE" : "non-unique",
      method: (index.algorithm ?? "btree").toLowerCase(),
      predicate: "none",
    });
  }
  return shape;
}

/** Prisma's default constraint name; longer than PostgreSQL's 63 bytes would need Prisma's truncation. */
function constraintName(table: string, columns: string[], suffix: string): string {
  const name = `${table}_${columns.join("_")}_${suffix}`;
  if (Buffer.byteLength(name) > 63) throw new Error(`schema-compare: ${name} exceeds 63 bytes; add map:`);
  return name;
}

function emptyShape(): SchemaShape {
  return {
    enums: new Map(),
    tables: new Map(),
    columns: new Map(),
    primaryKeys: new Map(),
    indexes: new Map(),
    foreignKeys: new Map(),
    others: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// Actual side: catalog of the current schema → SchemaShape

type Queryable = Pick<pg.Client, "query">;

const FK_ACTIONS: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

/** Postgres' rendering of a default, reduced to the form expectedDefault produces. */
export function normalizeDefault(expr: string | null): string {
  if (expr === null) return "none";
  if (/^nextval\('.+'::regclass\)$/.test(expr)) return "autoincrement()";
  if (expr === "CURRENT_TIMESTAMP" || expr === "now()") return "now()";
  const literal = /^'((?:[^']|'')*)'::(.+)$/.exec(expr);
  if (literal) {
    const [, body, cast] = literal;
    const numeric = /^(integer|bigint|smallint|numeric.*|double precision|real)$/.test(cast);
    return numeric ? canonicalNumber(body) : `'${body}'`;
  }
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(expr)) return canonicalNumber(expr);
  return expr;
}

export async function databaseSchema(client: Queryable): Promise<SchemaShape> {
  const shape = emptyShape();

  const enums = await client.query<{ name: string; labels: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE n.nspname = current_schema()
     GROUP BY t.typname`);
  for (const row of enums.rows) shape.enums.set(row.name, { values: row.labels.join(", ") });

  const relations = await client.query<{ name: string; kind: string }>(`
    SELECT c.relname AS name, c.relkind::text AS kind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`);
  for (const row of relations.rows) {
    if (row.kind === "r" || row.kind === "p") shape.tables.set(row.name, {});
    else shape.others.set(`relation ${row.name}`, { kind: row.kind });
  }

  const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`);
  for (const row of columns.rows) {
    shape.columns.set(`${row.table}.${row.column}`, {
      type: row.type,
      nullability: row.not_null ? "NOT NULL" : "NULL",
      default: normalizeDefault(row.default),
    });
  }

  const indexes = await client.query<{
    name: string;
    table: string;
    unique: boolean;
    primary: boolean;
    method: string;
    predicate: string | null;
    has_expressions: boolean;
    columns: string[];
    included: string[];
  }>(`
    SELECT ic.relname AS name, tc.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
           am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
           i.indexprs IS NOT NULL AS has_expressions,
           ARRAY(SELECT a.attname || CASE WHEN (i.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                   FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)::text[] AS columns,
           ARRAY(SELECT a.attname
                   FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE k.ord > i.indnkeyatts ORDER BY k.ord)::text[] AS included
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class tc ON tc.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = tc.relnamespace
      JOIN pg_am am ON am.oid = ic.relam
     WHERE n.nspname = current_schema()`);
  for (const row of indexes.rows) {
    const columnList = `(${row.columns.join(", ")}${row.has_expressions ? ", <expression>" : ""})`;
    if (row.primary) {
      shape.primaryKeys.set(row.table, { name: row.name, columns: columnList });
      continue;
    }
    shape.indexes.set(row.name, {
      table: row.table,
      columns: columnList + (row.included.length ? ` INCLUDE (${row.included.join(", ")})` : ""),
      unique: row.unique ? "UNIQUE" : "non-unique",
      method: row.method,
      predicate: row.predicate ?? "none",
    });
  }

  const constraints = await client.query<{
    name: string;
    type: string;
    table: string;
    ref_table: string | null;
    columns: string[];
    ref_columns: string[];
    on_delete: string;
    on_update: string;
  }>(`
    SELECT con.conname AS name, con.contype::text AS type, tc.relname AS table, rc.relname AS ref_table,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                  ORDER BY k.ord)::text[] AS columns,
           ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                  ORDER BY k.ord)::text[] AS ref_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
      FROM pg_constraint con
      JOIN pg_class tc ON tc.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = tc.relnamespace
      LEFT JOIN pg_class rc ON rc.oid = con.confrelid
     WHERE n.nspname = current_schema() AND con.contype IN ('f', 'c', 'x', 't')`);
  for (const row of constraints.rows) {
    if (row.type !== "f") {
      shape.others.set(`constraint ${row.table}.${row.name}`, { type: row.type });
      continue;
    }
    shape.foreignKeys.set(`${row.table}.${row.name}`, {
      columns: `(${row.columns.join(", ")})`,
      references: `${row.ref_table}(${row.ref_columns.join(", ")})`,
      onDelete: FK_ACTIONS[row.on_delete] ?? row.on_delete,
      onUpdate: FK_ACTIONS[row.on_update] ?? row.on_update,
    });
  }

  const triggers = await client.query<{ table: string; name: string }>(`
    SELECT c.relname AS table, t.tgname AS name
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND n.nspname = current_schema()`);
  for (const row of triggers.rows) shape.others.set(`trigger ${row.table}.${row.name}`, {});

  const functions = await client.query<{ name: string }>(`
    SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = current_schema()`);
  for (const row of functions.rows) shape.others.set(`function ${row.name}`, {});

  // A sequence is part of the schema only as the backing of an autoincrement column it belongs to.
  const sequences = await client.query<{ name: string; owner: string | null }>(`
    SELECT s.relname AS name, tc.relname || '.' || a.attname AS owner
      FROM pg_class s
      JOIN pg_namespace n ON n.oid = s.relnamespace
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_class tc ON tc.oid = d.refobjid
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE s.relkind = 'S' AND n.nspname = current_schema()`);
  for (const row of sequences.rows) {
    const owner = row.owner ? shape.columns.get(row.owner) : undefined;
    if (owner?.default !== "autoincrement()") shape.others.set(`sequence ${row.name}`, { owner: row.owner ?? "none" });
  }

  const types = await client.query<{ name: string }>(`
    SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() AND t.typtype IN ('d', 'r', 'm')`);
  for (const row of types.rows) shape.others.set(`type ${row.name}`, {});

  return shape;
}

// ---------------------------------------------------------------------------------------------
// Comparison

function diffKind(label: string, expected: Map<string, Attrs>, actual: Map<string, Attrs>, allowed: Set<string>, out: string[]): void {
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (!got) {
      out.push(`${label} ${key}: missing in database`);
      continue;
    }
    for (const attr of new Set([...Object.keys(want), ...Object.keys(got)])) {
      if (want[attr] !== got[attr]) {
        out.push(`${label} ${key}: ${attr} differs: expected ${want[attr] ?? "none"}, found ${got[attr] ?? "none"}`);
      }
    }
  }
  for (const key of actual.keys()) {
    if (!expected.has(key) && !allowed.has(key)) out.push(`${label} ${key}: not in schema.prisma`);
  }
  for (const key of allowed) {
    if (!expected.has(key) && !actual.has(key)) out.push(`${label} ${key}: allowlisted but missing in database`);
  }
}

/** Drops everything that belongs to an allowlisted table (its columns, keys, indexes, triggers…). */
function withoutTables(shape: SchemaShape, tables: Set<string>): SchemaShape {
  const keep = (m: Map<string, Attrs>, tableOf: (key: string, attrs: Attrs) => string) => new Map([...m].filter(([key, attrs]) => !tables.has(tableOf(key, attrs))));
  const prefix = (key: string) => key.split(".")[0];
  return {
    ...shape,
    columns: keep(shape.columns, prefix),
    primaryKeys: keep(shape.primaryKeys, (key) => key),
    indexes: keep(shape.indexes, (_, attrs) => attrs.table),
    foreignKeys: keep(shape.foreignKeys, prefix),
    others: keep(shape.others, (key) => prefix(key.replace(/^(trigger|constraint) /, ""))),
  };
}

/** Every difference between the two shapes, sorted; empty means they agree. */
export function compareSchemas(expected: SchemaShape, actual: SchemaShape, allow: Allowlist = MIGRATION_ONLY_OBJECTS): string[] {
  const allowedTables = new Set(allow.tables);
  const db = withoutTables(actual, allowedTables);
  const out: string[] = [];
  const none = new Set<string>();
  diffKind("enum", expected.enums, db.enums, none, out);
  diffKind("table", expected.tables, db.tables, allowedTables, out);
  diffKind("column", expected.columns, db.columns, none, out);
  diffKind("primary key of", expected.primaryKeys, db.primaryKeys, none, out);
  diffKind("index", expected.indexes, db.indexes, new Set(allow.indexes), out);
  diffKind("foreign key", expected.foreignKeys, db.foreignKeys, none, out);
  diffKind("object", expected.others, db.others, new Set(allow.others), out);
  return out.sort();
}

/** schema.prisma vs the database `client` is connected to (its current schema). */
export async function schemaDrift(client: Queryable, schemaText?: string): Promise<string[]> {
  return compareSchemas(expectedSchema(schemaText), await databaseSchema(client));
}
