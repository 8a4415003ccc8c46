/**
 * Writes the JSON Schema of config-as-code documents, generated from lib/schemas/config.ts, to
 * docs/rollgate.schema.json (for editors) and packages/cli/schema/ (shipped with the CLI).
 * `npx tsx scripts/config-schema.ts --check` fails when either file is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { configDocumentJsonSchema } from "../lib/schemas/config";

export const SCHEMA_FILES = ["docs/rollgate.schema.json", "packages/cli/schema/rollgate.schema.json"];

export const schemaText = () => `${JSON.stringify(configDocumentJsonSchema(), null, 2)}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = schemaText();
  const check = process.argv.includes("--check");
  for (const file of SCHEMA_FILES) {
    if (check) {
      if (readFileSync(file, "utf8") !== text) {
        console.error(`${file} is out of date: run npx tsx scripts/config-schema.ts`);
        process.exit(1);
      }
    } else writeFileSync(file, text);
  }
  console.log(check ? "schema files up to date" : `wrote ${SCHEMA_FILES.join(", ")}`);
}
