/** A local HTTP receiver on 127.0.0.1 that records what webhooks deliver and answers as told. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes to answer with, in order; once used up, 200. "hang" never answers. */
  script: (number | "hang")[];
  close(): Promise<void>;
}

export async function startReceiver(script: (number | "hang")[] = []): Promise<Receiver> {
  const received: Received[] = [];
  const state = { script: [...script] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const next = state.script.shift() ?? 200;
      if (next === "hang") return; // never answers: the sender's timeout must fire
      res.writeHead(next, { "content-type": "text/plain" });
      res.end(next < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get script() {
      return state.script;
    },
    set script(v) {
      state.script = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The receiver listens on loopback, which webhooks may reach only with
 * ROLLGATE_WEBHOOK_ALLOW_PRIVATE=1: files using it call this at top level to allow it for themselves.
 */
export function allowPrivateWebhookTargets(): void {
  beforeAll(() => {
    process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE = "1";
    resetEnvCache();
  });
  afterAll(() => {
    delete process.env.ROLLGATE_WEBHOOK_ALLOW_PRIVATE;
    resetEnvCache();
  });
}
