/**
 * A running Rollgate for the CLI's tests, without a production build: the app's own route
 * handlers (the ones Next serves) and the lean evaluation routes on one real node:http server,
 * plus the background evaluator on a 2-second interval, as the e2e server runs it. The CLI
 * under test talks to it over HTTP only, as a subprocess.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getEnv } from "@/lib/env";
import { createAutomation, type Evaluator } from "@/lib/server/automation";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { ExposureCounter } from "@/lib/server/evaluation/exposures";
import { createEvaluationRoutes } from "@/lib/server/evaluation/fast-routes";
import { KeyUsage } from "@/lib/server/evaluation/key-usage";
import * as apply from "@/app/api/v1/config/apply/route";
import * as exportRoute from "@/app/api/v1/config/export/route";
import * as flags from "@/app/api/v1/flags/route";
import * as flag from "@/app/api/v1/flags/[key]/route";
import * as rollouts from "@/app/api/v1/rollouts/route";
import * as rollout from "@/app/api/v1/rollouts/[id]/route";
import * as rolloutCommand from "@/app/api/v1/rollouts/[id]/[command]/route";
import * as gates from "@/app/api/v1/rollouts/[id]/gates/route";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import { testStore } from "../evaluation/server";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PATCH" | "PUT" | "DELETE", Handler>>;

/** Path patterns of the app routes the CLI uses, as in app/api (`[x]` → a segment). */
const ROUTES: [string, RouteModule][] = [
  ["/api/v1/config/apply", apply as RouteModule],
  ["/api/v1/config/export", exportRoute as RouteModule],
  ["/api/v1/flags", flags as RouteModule],
  ["/api/v1/flags/[key]", flag as RouteModule],
  ["/api/v1/rollouts", rollouts as RouteModule],
  ["/api/v1/rollouts/[id]", rollout as RouteModule],
  ["/api/v1/rollouts/[id]/gates", gates as RouteModule],
  ["/api/v1/rollouts/[id]/[command]", rolloutCommand as RouteModule],
  ["/api/v1/audit/verify", auditVerify as RouteModule],
];

function match(pathname: string): { module: RouteModule; params: Record<string, string> } | null {
  const parts = pathname.split("/").filter(Boolean);
  // Literal segments win over parameters (…/gates before …/[command]).
  const candidates = ROUTES.filter(([p]) => p.split("/").filter(Boolean).length === parts.length).sort(([a], [b]) => a.split("[").length - b.split("[").length);
  for (const [pattern, module] of candidates) {
    const segs = pattern.split("/").filter(Boolean);
    const params: Record<string, string> = {};
    if (segs.every((s, i) => (s.startsWith("[") ? ((params[s.slice(1, -1)] = decodeURIComponent(parts[i])), true) : s === parts[i]))) return { module, params };
  }
  return null;
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = chunks.length && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(opts: { evaluatorIntervalSeconds?: number; port?: number } = {}): Promise<AppServer> {
  const store = testStore({ pollSeconds: 1 });
  await store.start();
  let evaluation: ReturnType<typeof createEvaluationRoutes> | undefined;
  let url = "";
  const server: Server = createServer(async (req, res) => {
    try {
      if (evaluation && (await evaluation.route(req, res))) return;
      const request = await toRequest(req, url);
      const found = match(new URL(request.url).pathname);
      const handler = found?.module[req.method as keyof RouteModule];
      if (!found || !handler) return void res.writeHead(404, { "content-type": "application/json" }).end('{"status":404,"code":"not_found"}');
      await send(res, await handler(request, { params: Promise.resolve(found.params) }));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  evaluation = createEvaluationRoutes({ store, exposures: new ExposureCounter(), keyUsage: new KeyUsage(), maxBodyBytes: 1024 * 1024, publicUrl: url });
  const evaluator: Evaluator = createAutomation({
    env: { ...getEnv(), ROLLGATE_EVALUATOR_INTERVAL_SECONDS: opts.evaluatorIntervalSeconds ?? 2 },
    deps: { thinner: createThinner(0), log: () => {} },
  });
  evaluator.start();
  return {
    url,
    close: async () => {
      await evaluator.stop();
      evaluation?.close();
      await store.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
