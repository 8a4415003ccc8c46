/**
 * `rollgate`: config as code and rollouts from CI/CD, over Rollgate's HTTP API only
 * (docs/config-as-code.md has the full reference).
 */
import { parseArgs } from "node:util";
import { RollgateClient } from "./client";
import { auditVerifyCommand, evaluateCommand } from "./commands/misc";
import { applyCommand, diffCommand, exportCommand, validateCommand } from "./commands/config";
import { commandCommand, createCommand, parseDuration, statusCommand, waitCommand } from "./commands/rollout";
import { CliError, EXIT } from "./errors";
import { processIo, type Io } from "./io";

export const USAGE = `Usage: rollgate <command> [options]

Config as code (YAML, one resource per document; schema: docs/rollgate.schema.json)
  export --env E [-o DIR|FILE.yaml]        the environment's flags, SLOs and webhooks as files
  validate -f PATH                         check files against the schema (offline)
  diff -f PATH [--prune] [--save-plan F]   what apply would change; exit 0 none, 2 some
  apply -f PATH [--dry-run] [--prune] [--force] [--plan F] [--comment C]
                                           apply in one transaction per environment

Rollouts (<ref> is a rollout id, or a flag key with --env)
  rollout create -f plan.yaml              create a draft rollout from a RolloutPlan
  rollout start|promote|pause|resume|rollback|abort|approve <ref> [--env E] [--comment C]
  rollout status <ref> [--env E] [--output json]
  rollout wait <ref> --until completed|stage=N [--timeout 30m] [--interval 5s]
                                           exit 0 reached, 3 rolled back/aborted, 4 timeout

Operators
  evaluate <flag> --context key=value ...  what an evaluate key's service gets (key:=json for numbers)
  audit verify                             recompute the audit hash chain (admin key)

Connection: ROLLGATE_URL and ROLLGATE_API_KEY, or --url and --api-key (a manage key; admin for
webhooks, --force and audit verify; evaluate for evaluate). ROLLGATE_ENV stands in for --env.
Output: --output text|json. Exit codes: 0 ok, 1 error, 2 diff found changes, 3 rolled back, 4 timeout, 64 usage.`;

const OPTIONS = {
  url: { type: "string" },
  "api-key": { type: "string" },
  env: { type: "string", short: "e" },
  file: { type: "string", short: "f", multiple: true },
  out: { type: "string", short: "o" },
  output: { type: "string" },
  "dry-run": { type: "boolean" },
  prune: { type: "boolean" },
  force: { type: "boolean" },
  plan: { type: "string" },
  "save-plan": { type: "string" },
  comment: { type: "string", short: "m" },
  until: { type: "string" },
  timeout: { type: "string" },
  interval: { type: "string" },
  context: { type: "string", short: "c", multiple: true },
  verbose: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

const ROLLOUT_COMMANDS = ["start", "promote", "pause", "resume", "rollback", "abort", "approve", "reject"];

export async function main(argv: string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await run(argv, io, env);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`rollgate: ${error.message}`);
      return error.exitCode;
    }
    const message = (error as Error).message ?? String(error);
    io.err(`rollgate: ${message}`);
    return EXIT.error;
  }
}

async function run(argv: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`, EXIT.usage);
  }
  const { values: v, positionals } = parsed;
  const [command, sub, ...rest] = positionals;
  if (v.help || !command || command === "help") {
    io.out(USAGE);
    return command || v.help ? EXIT.ok : EXIT.usage;
  }
  const output = (v.output ?? "text") as "text" | "json";
  if (output !== "text" && output !== "json") throw new CliError(`--output takes text or json, not "${v.output}"`, EXIT.usage);
  const environment = v.env ?? env.ROLLGATE_ENV;
  const files = () => {
    if (!v.file?.length) throw new CliError(`${command} needs -f PATH (a file, a directory, or - for stdin)`, EXIT.usage);
    return v.file;
  };
  if (command === "validate") return validateCommand(io, { files: files() });

  const url = v.url ?? env.ROLLGATE_URL;
  if (!url) throw new CliError("Set ROLLGATE_URL (or --url) to your Rollgate, e.g. https://rollgate.example.com", EXIT.usage);
  const client = new RollgateClient({ url, apiKey: v["api-key"] ?? env.ROLLGATE_API_KEY });
  const planOpts = () => ({ files: files(), env: environment, prune: Boolean(v.prune), force: Boolean(v.force), output, verbose: Boolean(v.verbose) });

  switch (command) {
    case "export":
      if (!environment) throw new CliError("export needs --env E", EXIT.usage);
      return exportCommand(client, io, { env: environment, out: v.out });
    case "diff":
      return diffCommand(client, io, { ...planOpts(), savePlan: v["save-plan"] });
    case "apply":
      return applyCommand(client, io, { ...planOpts(), dryRun: Boolean(v["dry-run"]), plan: v.plan, comment: v.comment });
    case "evaluate":
      if (!sub) throw new CliError("evaluate needs a flag key: rollgate evaluate <flag> --context key=value", EXIT.usage);
      return evaluateCommand(client, io, { flag: sub, context: v.context ?? [], output });
    case "audit":
      if (sub !== "verify") throw new CliError("audit takes one subcommand: verify", EXIT.usage);
      return auditVerifyCommand(client, io, { output });
    case "rollout": {
      const ref = rest[0];
      if (sub === "create") return createCommand(client, io, { files: files(), env: environment, output });
      if (!ref) throw new CliError(`rollout ${sub ?? "<command>"} needs a rollout id or a flag key`, EXIT.usage);
      if (sub === "status") return statusCommand(client, io, { ref, env: environment, output });
      if (sub === "wait") {
        if (!v.until) throw new CliError("rollout wait needs --until completed|stage=N", EXIT.usage);
        return waitCommand(client, io, {
          ref,
          env: environment,
          until: v.until,
          timeoutMs: parseDuration(v.timeout ?? "30m", "--timeout"),
          intervalMs: parseDuration(v.interval ?? "5s", "--interval"),
          output,
        });
      }
      if (sub && ROLLOUT_COMMANDS.includes(sub)) return commandCommand(client, io, sub, { ref, env: environment, comment: v.comment, output });
      throw new CliError(`Unknown rollout subcommand "${sub}"\n\n${USAGE}`, EXIT.usage);
    }
    default:
      throw new CliError(`Unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
  }
}
