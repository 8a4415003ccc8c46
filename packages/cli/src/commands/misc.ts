/** Operator commands: evaluate a flag for a context, and verify the audit chain. */
import type { RollgateClient } from "../client";
import { CliError, EXIT } from "../errors";
import type { Io } from "../io";

/** `key=value` is a string; `key:=value` is JSON (a number, a boolean). */
export function parseContext(pairs: string[]): Record<string, string | number | boolean> {
  const context: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const typed = /^([^=:]+):=(.*)$/.exec(pair);
    const plain = /^([^=]+)=(.*)$/.exec(pair);
    if (typed) {
      let value: unknown;
      try {
        value = JSON.parse(typed[2]);
      } catch {
        throw new CliError(`--context ${pair}: the value after := must be JSON (a number or a boolean)`, EXIT.usage);
      }
      if (!["string", "number", "boolean"].includes(typeof value)) throw new CliError(`--context ${pair}: a string, number or boolean`, EXIT.usage);
      context[typed[1]] = value as string | number | boolean;
    } else if (plain) context[plain[1]] = plain[2];
    else throw new CliError(`--context takes key=value (or key:=json), not "${pair}"`, EXIT.usage);
  }
  return context;
}

interface EvaluateAnswer {
  version: string;
  flags: Record<string, { variant?: string; value?: unknown; reason?: string; error?: string; rollout?: { id: string; stage: number; arm: string } }>;
}

export async function evaluateCommand(client: RollgateClient, io: Io, opts: { flag: string; context: string[]; output: "text" | "json" }): Promise<number> {
  const answer = await client.request<EvaluateAnswer>("POST", "/api/v1/evaluate", { context: parseContext(opts.context), flags: [opts.flag] });
  const result = answer.flags[opts.flag];
  if (opts.output === "json") {
    io.out(JSON.stringify({ flag: opts.flag, configVersion: answer.version, ...result }, null, 2));
    return result?.error ? EXIT.error : EXIT.ok;
  }
  if (!result || result.error) throw new CliError(`${opts.flag}: ${result?.error ?? "no answer"}`);
  const rollout = result.rollout ? `, rollout ${result.rollout.id} stage ${result.rollout.stage} arm ${result.rollout.arm}` : "";
  io.out(`${opts.flag} → ${result.variant} (${result.reason}${rollout}) at configuration version ${answer.version}\n${JSON.stringify(result.value)}`);
  return EXIT.ok;
}

export async function auditVerifyCommand(client: RollgateClient, io: Io, opts: { output: "text" | "json" }): Promise<number> {
  const answer = await client.request<{ valid: boolean; records?: number; firstInvalidId?: string; reason?: string }>("GET", "/api/v1/audit/verify");
  if (opts.output === "json") io.out(JSON.stringify(answer));
  else if (answer.valid) io.out(`Audit chain valid: ${answer.records} records.`);
  else io.out(`Audit chain BROKEN at record ${answer.firstInvalidId}${answer.reason ? `: ${answer.reason}` : ""}.`);
  return answer.valid ? EXIT.ok : EXIT.error;
}
