/**
 * The config-as-code JSON Schema: both shipped copies are what lib/schemas/config.ts generates,
 * and every example — docs/examples/config, the YAML in the README's "Config as code" section
 * and in docs/config-as-code.md — validates against it and is accepted by the API's own schemas.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parseAllDocuments } from "yaml";
import { describe, expect, test } from "vitest";
import { SPEC_SCHEMAS, configDocumentJsonSchema, configResourceSchema } from "./config";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const generated = `${JSON.stringify(configDocumentJsonSchema(), null, 2)}\n`;

/** Every YAML document of the ```yaml blocks of a Markdown text that declares a Rollgate resource. */
function markdownDocuments(markdown: string): unknown[] {
  const blocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((b) => parseAllDocuments(b).flatMap((d) => (Array.isArray(d) ? [] : [d.toJS()]))).filter((d) => (d as { apiVersion?: string } | null)?.apiVersion === "rollgate.dev/v1");
}

function readmeSection(): string {
  const readme = read("README.md");
  const start = readme.indexOf("## Config as code");
  expect(start).toBeGreaterThan(-1);
  return readme.slice(start, readme.indexOf("\n## ", start + 1));
}

const examples = (): { where: string; doc: unknown }[] => [
  ...readdirSync(path.join(root, "docs/examples/config")).flatMap((f) => parseAllDocuments(read(`docs/examples/config/${f}`)).flatMap((d) => (Array.isArray(d) ? [] : [{ where: f, doc: d.toJS() }]))),
  ...markdownDocuments(readmeSection()).map((doc) => ({ where: "README.md", doc })),
  ...markdownDocuments(read("docs/config-as-code.md")).map((doc) => ({ where: "docs/config-as-code.md", doc })),
];

describe("rollgate.schema.json", () => {
  test("docs/ and the CLI package ship the schema generated from lib/schemas/config.ts", () => {
    expect(read("docs/rollgate.schema.json")).toBe(generated);
    expect(read("packages/cli/schema/rollgate.schema.json")).toBe(generated);
  });

  test("every example validates against the schema and is accepted by the API's schemas", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(generated));
    const all = examples();
    const kinds = new Set(all.map((e) => (e.doc as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(["Flag", "RolloutPlan", "SLO", "Webhook"]);
    expect(
      all
        .filter((e) => e.where === "README.md")
        .map((e) => (e.doc as { kind: string }).kind)
        .sort(),
    ).toEqual(["Flag", "RolloutPlan", "SLO"]);
    for (const { where, doc } of all) {
      expect(validate(doc), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const envelope = configResourceSchema.parse(doc);
      const { schema, fromMetadata } = SPEC_SCHEMAS[envelope.kind];
      const named = envelope.kind === "Flag" ? { key: envelope.metadata.key } : { name: envelope.metadata.name };
      const input = { ...envelope.spec, ...(fromMetadata.includes("environment" as never) ? { environment: envelope.metadata.environment } : {}), ...(envelope.kind === "RolloutPlan" ? {} : named) };
      const parsed = schema.safeParse(input);
      expect(parsed.success, `${where}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  test("the schema catches what the API refuses: an unknown field, a missing name, a wrong kind", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(generated));
    const flag = {
      apiVersion: "rollgate.dev/v1",
      kind: "Flag",
      metadata: { environment: "production", key: "a.flag" },
      spec: { variants: [{ key: "a", payload: {} }], defaultVariant: "a", fallbackVariant: "a" },
    };
    expect(validate(flag)).toBe(true);
    expect(validate({ ...flag, spec: { ...flag.spec, defaultVarient: "a" } })).toBe(false);
    expect(validate({ ...flag, metadata: { environment: "production" } })).toBe(false);
    expect(validate({ ...flag, kind: "Flags" })).toBe(false);
    expect(validate({ ...flag, kind: "Webhook", metadata: { environment: "production", name: "x" }, spec: { url: "https://x.example/h", events: ["slo.alert"], secret: "s".repeat(20) } })).toBe(false);
  });
});
