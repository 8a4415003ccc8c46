/**
 * The HTTP side: one request helper for Rollgate's API that turns every failure into a message
 * a person can act on — network errors, 401, 403 with the scope that is missing, 409/412 with
 * who changed what, 400 with every field path (mapped to file:line:col when the request came
 * from files).
 */
import { CliError } from "./errors";

export interface Connection {
  url: string;
  apiKey: string | undefined;
}

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  requestId?: string;
  details?: {
    errors?: { path: string; message: string }[];
    conflicts?: { resource: string; changedBy: string | null; action: string | null; at: string | null; fields: string[]; expectedVersion: string | null; currentVersion: string | null }[];
    permission?: string;
    reason?: string;
    [k: string]: unknown;
  };
}

/** Which API-key scope grants each permission (docs/api-keys.md). */
const SCOPE_FOR: Record<string, string> = {
  "dashboard.read": "manage",
  "flag.write": "manage",
  "flag.kill_switch": "manage",
  "rollout.write": "manage",
  "slo.write": "manage",
  "webhook.manage": "admin",
  "rollout.skip_analysis": "admin",
  "audit.read": "admin",
  "flag.evaluate": "evaluate",
  "event.ingest": "ingest",
};

export type PathMapper = (path: string) => string | null;

export class RollgateClient {
  constructor(readonly connection: Connection) {}

  async request<T>(method: string, path: string, body?: unknown, opts: { mapPath?: PathMapper; quiet404?: boolean } = {}): Promise<T> {
    const base = this.connection.url.replace(/\/+$/, "");
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.connection.apiKey) headers.authorization = `Bearer ${this.connection.apiKey}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`Cannot reach Rollgate at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message}). Is it running? Set ROLLGATE_URL or --url.`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json as T;
    throw new CliError(describeProblem({ status: res.status, ...(json as object) } as Problem, `${method} ${path}`, opts.mapPath));
  }
}

export function describeProblem(p: Problem, what: string, mapPath?: PathMapper): string {
  const lines: string[] = [];
  const head = `${p.status} ${p.code ?? p.title ?? "error"}`;
  switch (p.status) {
    case 401:
      lines.push(`${head}: ${p.detail ?? "not signed in"}`, "Set ROLLGATE_API_KEY (or --api-key) to an API key of this Rollgate (Settings → API keys).");
      break;
    case 403: {
      const permission = p.details?.permission ?? /"([a-z_.]+)"/.exec(p.detail ?? "")?.[1];
      const scope = permission ? SCOPE_FOR[permission] : undefined;
      lines.push(`${head}: ${p.detail ?? "forbidden"}`);
      if (permission) {
        lines.push(
          scope
            ? `Missing permission "${permission}": use an API key with the "${scope}" scope.`
            : `Missing permission "${permission}": no API key scope grants it; a signed-in user with that role must do this.`,
        );
      }
      break;
    }
    case 400: {
      const errors = p.details?.errors ?? [];
      lines.push(`${head}: ${errors.length ? `${errors.length} invalid field${errors.length === 1 ? "" : "s"}` : (p.detail ?? "invalid request")}`);
      for (const e of errors) lines.push(`  ${(mapPath && mapPath(e.path)) || e.path}: ${e.message}`);
      break;
    }
    case 409:
    case 412: {
      const conflicts = p.details?.conflicts ?? [];
      lines.push(`${head}: ${conflicts.length ? "the configuration changed since the plan, so nothing was applied" : (p.detail ?? "conflict")}`);
      for (const c of conflicts) {
        const who = c.changedBy ? ` by ${c.changedBy}` : "";
        const act = c.action ? ` (${c.action}${c.fields?.length ? `: ${c.fields.join(", ")}` : ""})` : "";
        const when = c.at ? ` at ${c.at}` : "";
        const versions = c.currentVersion === null ? "now gone" : c.expectedVersion === null ? "created since" : `version ${c.expectedVersion} → ${c.currentVersion}`;
        lines.push(`  ${c.resource}: changed${who}${when}${act}; ${versions}`);
      }
      if (conflicts.length) lines.push("Run `rollgate diff` again, review, and apply.");
      break;
    }
    default:
      lines.push(`${head}: ${p.detail ?? p.title ?? `${what} failed`}`);
  }
  if (p.requestId) lines.push(`(request ${p.requestId})`);
  return lines.join("\n");
}
