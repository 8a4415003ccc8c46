/**
 * A running Rollgate for the SDK and OTLP tests: the evaluation fast routes, POST /api/v1/events
 * and POST /v1/traces on a real node:http server (the same fast routes the app's runtime
 * registers), with stop/start on the same port to simulate Rollgate going away and coming back.
 * `loadSdk` builds packages/sdk with its own build script and imports it as `@rollgate/sdk`,
 * so the tests run the artifact a service installs, not the sources.
 */
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ExposureCounter, sqlExposureWriter } from "@/lib/server/evaluation/exposures";
import { createEvaluationRoutes, type EvaluationRoutes } from "@/lib/server/evaluation/fast-routes";
import { KeyUsage } from "@/lib/server/evaluation/key-usage";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { db } from "@/lib/server/db";
import { eventsFastRoute } from "@/lib/server/services/metrics/events-endpoint";
import { otlpTracesFastRoute } from "@/lib/server/services/metrics/otlp-endpoint";

export class RollgateServer {
  readonly exposures = new ExposureCounter();
  /** "<content-type> <content-encoding>" of every POST /v1/traces received. */
  readonly traceRequests: string[] = [];
  private server: Server | null = null;
  private routes: EvaluationRoutes | null = null;
  port = 0;

  constructor(private readonly store: SnapshotStore) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const routes = createEvaluationRoutes({ store: this.store, exposures: this.exposures, keyUsage: new KeyUsage(), maxBodyBytes: 1024 * 1024 });
    this.routes = routes;
    const server = createServer(async (req, res) => {
      if (req.url === "/v1/traces") this.traceRequests.push(`${req.headers["content-type"]} ${req.headers["content-encoding"] ?? "identity"}`);
      for (const route of [routes.route, eventsFastRoute, otlpTracesFastRoute]) if (await route(req, res)) return;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops answering: open streams and keep-alive connections are cut. */
  async stop(): Promise<void> {
    this.routes?.close();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Writes the counted exposures to the exposures table, as the app's flusher does. */
  flushExposures(): Promise<number> {
    return this.exposures.flush(sqlExposureWriter(db));
  }
}

let built = false;
export type Sdk = typeof import("@rollgate/sdk");

export async function loadSdk(): Promise<Sdk> {
  if (!built) {
    execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../../../packages/sdk/build.mjs")], { stdio: "inherit" });
    built = true;
  }
  return import("@rollgate/sdk");
}
