/** Text output of plans: resource by resource, field by field. */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}
export interface ResourceChange {
  kind: string;
  name: string;
  action: "create" | "update" | "archive" | "delete" | "unchanged";
  fields: FieldChange[];
  version: string | null;
}
export interface PlanAnswer {
  environment: string;
  dryRun: boolean;
  applied: boolean;
  configVersion: string;
  changes: ResourceChange[];
  versions: Record<string, string>;
  secrets: { webhook: string; secret: string }[];
}

const SIGN = { create: "+", update: "~", archive: "-", delete: "-", unchanged: "=" } as const;
const show = (v: unknown) => (v === undefined ? "(none)" : JSON.stringify(v));

export const pending = (plan: PlanAnswer) => plan.changes.filter((c) => c.action !== "unchanged");

export function renderPlan(plan: PlanAnswer, opts: { verbose?: boolean } = {}): string {
  const lines = [`Environment ${plan.environment}: computed against configuration version ${plan.configVersion}`];
  for (const c of plan.changes) {
    if (c.action === "unchanged" && !opts.verbose) continue;
    const version = c.version ? ` (version ${c.version})` : "";
    const why = c.action === "archive" ? " — archive: the files no longer name it (--prune)" : c.action === "delete" ? " — delete: the files no longer name it (--prune)" : "";
    lines.push(`${SIGN[c.action]} ${c.kind} ${c.name}${version}${c.action === "unchanged" ? " unchanged" : ""}${why}`);
    if (c.action === "archive" || c.action === "delete") continue;
    for (const f of c.fields) {
      if (c.action === "create") lines.push(`    ${f.path}: ${show(f.after)}`);
      else lines.push(`    ${f.path}: ${show(f.before)} → ${show(f.after)}`);
    }
  }
  const n = pending(plan).length;
  const unchanged = plan.changes.length - n;
  lines.push(n === 0 ? `No changes (${unchanged} resource${unchanged === 1 ? "" : "s"} up to date).` : `${n} change${n === 1 ? "" : "s"}, ${unchanged} unchanged.`);
  return lines.join("\n");
}

/** `Kind/name` → the version each change was planned against (null: to be created). */
export const expectedVersions = (plan: PlanAnswer): Record<string, string | null> => Object.fromEntries(plan.changes.map((c) => [`${c.kind}/${c.name}`, c.version]));
