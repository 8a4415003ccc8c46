/** export, diff, apply and validate: an environment's flags, SLOs and webhooks as files. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { stringify } from "yaml";
import type { RollgateClient } from "../client";
import { CliError, EXIT } from "../errors";
import { loadResources, type Resource, type SourcedResource } from "../files";
import { expectedVersions, pending, renderPlan, type PlanAnswer } from "../render";
import type { Io } from "../io";

interface ExportAnswer {
  environment: string;
  configVersion: string;
  resources: Resource[];
  versions: Record<string, string>;
}

export async function exportCommand(client: RollgateClient, io: Io, opts: { env: string; out?: string }): Promise<number> {
  const answer = await client.request<ExportAnswer>("GET", `/api/v1/config/export?environment=${encodeURIComponent(opts.env)}`);
  const header = `# Exported from ${client.connection.url} (${answer.environment}, configuration version ${answer.configVersion}).\n`;
  const note = (r: Resource) => (r.kind === "Webhook" ? "# The URL's secret part is masked: keeping it as is keeps the current URL.\n" : "");
  const yamlOf = (r: Resource) => stringify(r, { lineWidth: 0 });
  if (!opts.out) {
    io.out(header + answer.resources.map((r) => note(r) + yamlOf(r)).join("---\n"));
    return EXIT.ok;
  }
  if ([".yaml", ".yml"].includes(extname(opts.out))) {
    writeFileSync(opts.out, header + answer.resources.map((r) => note(r) + yamlOf(r)).join("---\n"));
    io.err(`Wrote ${answer.resources.length} resources to ${opts.out}`);
    return EXIT.ok;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const r of answer.resources) {
    const name = (r.metadata.key ?? r.metadata.name ?? "resource").toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
    writeFileSync(join(opts.out, `${r.kind.toLowerCase()}.${name}.yaml`), header + note(r) + yamlOf(r));
  }
  io.err(`Wrote ${answer.resources.length} files to ${opts.out}`);
  return EXIT.ok;
}

/** The applied kinds grouped by environment; RolloutPlan documents are left to `rollout create`. */
function byEnvironment(io: Io, sourced: SourcedResource[], only?: string) {
  const groups = new Map<string, SourcedResource[]>();
  for (const s of sourced) {
    if (s.resource.kind === "RolloutPlan") {
      io.err(`note: ${s.file}: RolloutPlan ${s.resource.metadata.name} is not applied; run it with \`rollgate rollout create -f\``);
      continue;
    }
    if (only && s.resource.metadata.environment !== only) continue;
    const list = groups.get(s.resource.metadata.environment) ?? [];
    list.push(s);
    groups.set(s.resource.metadata.environment, list);
  }
  if (groups.size === 0) throw new CliError(`No Flag, SLO or Webhook documents${only ? ` for environment ${only}` : ""} in the files.`);
  return groups;
}

/** Server paths `resources.N.spec.x` → the file position of that field. */
const mapper = (list: SourcedResource[]) => (path: string) => {
  const m = /^resources\.(\d+)\.?(.*)$/.exec(path);
  if (!m) return null;
  const item = list[Number(m[1])];
  if (!item) return null;
  const inner = m[2] ? m[2].split(".") : [];
  return `${item.locate(inner)}: ${item.resource.kind} ${item.resource.metadata.key ?? item.resource.metadata.name}: ${m[2] || "document"}`;
};

interface PlanOptions {
  files: string[];
  env?: string;
  prune: boolean;
  force: boolean;
  output: "text" | "json";
  verbose: boolean;
}

async function plan(client: RollgateClient, env: string, list: SourcedResource[], opts: PlanOptions, extra: { dryRun: boolean; expectedVersions?: Record<string, string | null>; comment?: string }) {
  return client.request<PlanAnswer>(
    "POST",
    "/api/v1/config/apply",
    { environment: env, resources: list.map((s) => s.resource), prune: opts.prune, force: opts.force, ...extra },
    { mapPath: mapper(list) },
  );
}

export async function diffCommand(client: RollgateClient, io: Io, opts: PlanOptions & { savePlan?: string }): Promise<number> {
  const groups = byEnvironment(io, loadResources(opts.files), opts.env);
  let differs = false;
  const plans: PlanAnswer[] = [];
  for (const [env, list] of groups) {
    const answer = await plan(client, env, list, opts, { dryRun: true });
    plans.push(answer);
    if (pending(answer).length) differs = true;
    if (opts.output === "text") io.out(renderPlan(answer, { verbose: opts.verbose }));
  }
  if (opts.output === "json") io.out(JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2));
  if (opts.savePlan) writeFileSync(opts.savePlan, JSON.stringify(plans, null, 2));
  return differs ? EXIT.differs : EXIT.ok;
}

export async function applyCommand(client: RollgateClient, io: Io, opts: PlanOptions & { dryRun: boolean; plan?: string; comment?: string }): Promise<number> {
  const groups = byEnvironment(io, loadResources(opts.files), opts.env);
  const saved = opts.plan ? (JSON.parse(readFileSync(opts.plan, "utf8")) as PlanAnswer[]) : null;
  for (const [env, list] of groups) {
    const reviewed = saved ? saved.find((p) => p.environment === env) : await plan(client, env, list, opts, { dryRun: true });
    if (!reviewed) throw new CliError(`${opts.plan} has no plan for environment ${env}; run \`rollgate diff --save-plan\` again.`);
    if (!saved && opts.output === "text") io.out(renderPlan(reviewed, { verbose: opts.verbose }));
    if (opts.dryRun) {
      if (opts.output === "json") io.out(JSON.stringify(reviewed, null, 2));
      if (opts.output === "text") io.out("Dry run: nothing was changed.");
      continue;
    }
    if (!saved && pending(reviewed).length === 0) continue;
    // The versions the reviewed plan was computed against: anything changed since fails it whole.
    const answer = await plan(client, env, list, opts, { dryRun: false, expectedVersions: expectedVersions(reviewed), comment: opts.comment });
    if (opts.output === "json") io.out(JSON.stringify(answer, null, 2));
    else if (answer.applied) io.out(`Applied ${pending(answer).length} change${pending(answer).length === 1 ? "" : "s"} to ${env} in one transaction.`);
    else io.out(`Nothing to apply in ${env}.`);
    for (const s of answer.secrets) io.out(`Webhook ${s.webhook}: signing secret ${s.secret} (shown once; store it now)`);
  }
  return EXIT.ok;
}

export function validateCommand(io: Io, opts: { files: string[] }): number {
  const list = loadResources(opts.files);
  io.out(`${list.length} document${list.length === 1 ? "" : "s"} valid.`);
  return EXIT.ok;
}
