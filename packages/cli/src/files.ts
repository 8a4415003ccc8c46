/**
 * Config files: every `.yaml`/`.yml` under a path (or one file, or `-` for stdin), each YAML
 * document one resource. Documents are checked against the JSON Schema shipped with this
 * package (schema/rollgate.schema.json, generated from the server's schemas), and every problem
 * — a YAML syntax error, a schema violation, or a server-side validation error mapped back — is
 * reported as file:line:column.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { isNode, LineCounter, parseAllDocuments, type Document } from "yaml";
import { CliError } from "./errors";

export interface Resource {
  apiVersion: string;
  kind: "Flag" | "RolloutPlan" | "SLO" | "Webhook";
  metadata: { environment: string; key?: string; name?: string };
  spec: Record<string, unknown>;
}

export interface SourcedResource {
  resource: Resource;
  file: string;
  /** Where a path inside the resource (`spec.variants.0.key`) is written: "file:line:col". */
  locate(path: (string | number)[]): string;
}

const schemaPath = fileURLToPath(new URL("../schema/rollgate.schema.json", import.meta.url));
let validator: ReturnType<InstanceType<typeof Ajv2020>["compile"]> | null = null;

function validate() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
  }
  return validator;
}

export function listFiles(path: string): string[] {
  if (path === "-") return ["-"];
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new CliError(`${path}: no such file or directory`);
  }
  if (stat.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if ([".yaml", ".yml"].includes(extname(entry.name))) out.push(full);
  }
  return out;
}

/** Reads and schema-checks every document; throws one error listing every problem. */
export function loadResources(paths: string[]): SourcedResource[] {
  const files = paths.flatMap(listFiles);
  if (files.length === 0) throw new CliError(`No .yaml or .yml files in ${paths.join(", ")}`);
  const problems: string[] = [];
  const out: SourcedResource[] = [];
  for (const file of files) {
    const text = file === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8");
    const shown = file === "-" ? "<stdin>" : relative(process.cwd(), file) || file;
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
    if (!Array.isArray(docs)) continue; // an empty stream
    for (const doc of docs) {
      const at = (offset: number) => {
        const { line, col } = lineCounter.linePos(offset);
        return `${shown}:${line}:${col}`;
      };
      if (doc.errors.length) {
        for (const e of doc.errors) problems.push(`${at(e.pos[0])}: ${e.message.split("\n")[0]}`);
        continue;
      }
      if (doc.contents === null) continue; // an empty document (a trailing ---)
      const value = doc.toJS() as unknown;
      const locate = (path: (string | number)[]) => at(offsetOf(doc, path));
      const check = validate();
      if (!check(value)) {
        for (const e of check.errors ?? []) {
          if (e.keyword === "if") continue;
          const path = e.instancePath.split("/").slice(1).map(unescapePointer);
          const extra =
            e.keyword === "additionalProperties"
              ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
              : e.keyword === "enum"
                ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`
                : "";
          problems.push(`${locate(path)}: ${path.join(".") || "document"} ${e.message}${extra}`);
        }
        continue;
      }
      out.push({ resource: value as Resource, file: shown, locate });
    }
  }
  if (problems.length) throw new CliError(`Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${[...new Set(problems)].map((p) => `  ${p}`).join("\n")}`);
  return out;
}

const unescapePointer = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** The offset of the deepest node on `path` that the document has (a missing key → its parent). */
function offsetOf(doc: Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(
      path.slice(0, depth).map((p) => (typeof p === "string" && /^\d+$/.test(p) ? Number(p) : p)),
      true,
    );
    if (isNode(node) && node.range) return node.range[0];
  }
  return doc.contents?.range?.[0] ?? 0;
}
