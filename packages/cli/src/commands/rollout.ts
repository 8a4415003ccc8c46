/**
 * Rollouts from a pipeline: create one from a RolloutPlan file, run its commands, show its
 * status, and wait for it — exit 0 when the target is reached, 3 when it was rolled back or
 * aborted, 4 on timeout.
 */
import type { RollgateClient } from "../client";
import { CliError, EXIT } from "../errors";
import { loadResources } from "../files";
import type { Io } from "../io";

const TERMINAL = ["completed", "rolled_back", "aborted"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RolloutStage {
  index: number;
  label: string;
  trafficBasisPoints: number;
  status: string;
}

export interface RolloutDetail {
  id: string;
  environment: { key: string };
  flag: { key: string };
  strategy: string;
  state: string;
  version: number;
  controlVariant: string;
  treatmentVariant: string;
  currentStageIndex: number;
  currentStage: string;
  servedSplit: { trafficBasisPoints: number; [k: string]: unknown };
  lastAutomaticAction: string | null;
  stages: RolloutStage[];
  progress: { ready: boolean; blockers: unknown[]; bakeRemainingSeconds: number; samples: unknown };
  pendingApproval: { stage: string; approvals: unknown[]; requiredApprovals: number } | null;
}

interface GateAnswer {
  current: { name: string; critical: boolean; rule: string; latest: { verdict: string; sentence: string; evaluatedAt: string } | null }[];
}

/** "stage 2/3 (50%)", as the dashboard numbers stages. */
const stageText = (r: RolloutDetail) => `stage ${r.currentStageIndex + 1}/${r.stages.length} (${r.stages[r.currentStageIndex]?.label ?? r.currentStage})`;

const pct = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;

/** A rollout id, or a flag key whose open rollout (else latest) in `env` is meant. */
export async function resolveRollout(client: RollgateClient, ref: string, env: string | undefined): Promise<string> {
  if (UUID.test(ref)) return ref;
  if (!env) throw new CliError(`"${ref}" is not a rollout id, so it names a flag: give its environment with --env (or ROLLGATE_ENV).`, EXIT.usage);
  const list = await client.request<{ rollouts: { id: string; state: string }[] }>("GET", `/api/v1/rollouts?environment=${encodeURIComponent(env)}&flagKey=${encodeURIComponent(ref)}`);
  const open = list.rollouts.find((r) => !TERMINAL.includes(r.state));
  const chosen = open ?? list.rollouts[0];
  if (!chosen) throw new CliError(`Flag "${ref}" has no rollout in ${env}.`);
  return chosen.id;
}

export async function createCommand(client: RollgateClient, io: Io, opts: { files: string[]; env?: string; output: "text" | "json" }): Promise<number> {
  const plans = loadResources(opts.files).filter((s) => s.resource.kind === "RolloutPlan" && (!opts.env || s.resource.metadata.environment === opts.env));
  if (plans.length === 0) throw new CliError(`No RolloutPlan documents${opts.env ? ` for ${opts.env}` : ""} in ${opts.files.join(", ")}.`);
  for (const p of plans) {
    const body = { environment: p.resource.metadata.environment, ...p.resource.spec };
    const mapPath = (path: string) => `${p.locate(["spec", ...path.split(".")])}: RolloutPlan ${p.resource.metadata.name}: ${path}`;
    const created = await client.request<RolloutDetail>("POST", "/api/v1/rollouts", body, { mapPath });
    if (opts.output === "json") io.out(JSON.stringify(created, null, 2));
    else io.out(`Created ${created.strategy} rollout ${created.id} of ${created.flag.key} in ${created.environment.key} (draft): ${created.stages.map((s) => s.label).join(" → ")}`);
  }
  return EXIT.ok;
}

export async function commandCommand(client: RollgateClient, io: Io, command: string, opts: { ref: string; env?: string; comment?: string; output: "text" | "json" }): Promise<number> {
  const id = await resolveRollout(client, opts.ref, opts.env);
  const answer = await client.request<{ rollout: RolloutDetail }>("POST", `/api/v1/rollouts/${id}/${command}`, opts.comment ? { comment: opts.comment } : {});
  const r = answer.rollout;
  if (opts.output === "json") io.out(JSON.stringify(answer, null, 2));
  else io.out(`${command}: rollout ${r.id} of ${r.flag.key} is ${r.state.replace("_", " ")}, ${stageText(r)}, treatment ${r.treatmentVariant} serves ${pct(r.servedSplit.trafficBasisPoints)}.`);
  return EXIT.ok;
}

export async function statusCommand(client: RollgateClient, io: Io, opts: { ref: string; env?: string; output: "text" | "json" }): Promise<number> {
  const id = await resolveRollout(client, opts.ref, opts.env);
  const [r, gates] = await Promise.all([client.request<RolloutDetail>("GET", `/api/v1/rollouts/${id}`), client.request<GateAnswer>("GET", `/api/v1/rollouts/${id}/gates`)]);
  if (opts.output === "json") {
    io.out(JSON.stringify({ ...r, gates: gates.current }, null, 2));
    return EXIT.ok;
  }
  const lines = [
    `Rollout ${r.id} — ${r.strategy.replace("_", " ")} of ${r.flag.key} in ${r.environment.key}`,
    `State:  ${r.state.replace("_", " ")}`,
    `Stage:  ${stageText(r).slice("stage ".length)}`,
    `Split:  ${r.controlVariant} ${pct(10_000 - r.servedSplit.trafficBasisPoints)} / ${r.treatmentVariant} ${pct(r.servedSplit.trafficBasisPoints)}`,
    `Plan:   ${r.stages.map((s) => `${s.status === "current" ? "[" : ""}${s.label}${s.status === "current" ? "]" : ""}`).join(" → ")}`,
  ];
  if (gates.current.length) {
    lines.push("Gates:");
    for (const g of gates.current)
      lines.push(`  ${g.latest ? g.latest.verdict.toUpperCase().padEnd(12) : "NOT YET     "} ${g.name}${g.critical ? " (critical)" : ""}: ${g.latest?.sentence || g.rule}`);
  } else lines.push("Gates:  none on this stage");
  if (!TERMINAL.includes(r.state) && r.state !== "draft") {
    const blockers = r.progress.blockers.map((b) => (typeof b === "string" ? b : ((b as { message?: string }).message ?? JSON.stringify(b))));
    lines.push(blockers.length ? `Ready to promote: no — ${blockers.join("; ")}` : "Ready to promote: yes");
  }
  if (r.pendingApproval) lines.push(`Awaiting approval: ${r.pendingApproval.stage} (${r.pendingApproval.approvals.length}/${r.pendingApproval.requiredApprovals})`);
  if (r.lastAutomaticAction) lines.push(`Last automatic action: ${r.lastAutomaticAction}`);
  io.out(lines.join("\n"));
  return EXIT.ok;
}

/** "completed" or "stage=N" (N counts from 1, as status shows it). */
function parseUntil(until: string): { completed: true } | { stage: number } {
  if (until === "completed") return { completed: true };
  const m = /^stage=(\d+)$/.exec(until);
  if (!m || Number(m[1]) < 1) throw new CliError(`--until takes "completed" or "stage=N" (N ≥ 1), not "${until}"`, EXIT.usage);
  return { stage: Number(m[1]) };
}

/** "90", "90s", "10m", "1h" → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} takes a duration such as 90s, 10m or 1h, not "${text}"`, EXIT.usage);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
}

export async function waitCommand(client: RollgateClient, io: Io, opts: { ref: string; env?: string; until: string; timeoutMs: number; intervalMs: number; output: "text" | "json" }): Promise<number> {
  const target = parseUntil(opts.until);
  const id = await resolveRollout(client, opts.ref, opts.env);
  const deadline = Date.now() + opts.timeoutMs;
  let last = "";
  for (;;) {
    const r = await client.request<RolloutDetail>("GET", `/api/v1/rollouts/${id}`);
    const stage = r.currentStageIndex + 1;
    const line = `${r.state.replace("_", " ")}, ${stageText(r)}`;
    if (line !== last && opts.output === "text") io.err(`rollout ${id}: ${line}`);
    last = line;
    const done = (code: number, text: string) => {
      if (opts.output === "json") io.out(JSON.stringify({ id, state: r.state, stage, exitCode: code, message: text }));
      else io.out(text);
      return code;
    };
    if (r.state === "rolled_back" || r.state === "aborted") {
      return done(EXIT.rolledBack, `Rollout ${id} was ${r.state.replace("_", " ")}${r.lastAutomaticAction ? `: ${r.lastAutomaticAction}` : ""}.`);
    }
    if (r.state === "completed") return done(EXIT.ok, `Rollout ${id} completed: ${r.treatmentVariant} serves 100%.`);
    if ("stage" in target && r.state !== "draft" && stage >= target.stage) return done(EXIT.ok, `Rollout ${id} reached ${stageText(r)}.`);
    if (Date.now() >= deadline) return done(EXIT.timeout, `Timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.until}: rollout ${id} is ${line}.`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(opts.intervalMs, Math.max(0, deadline - Date.now()))));
  }
}
