/**
 * The process's HTTP server: Next.js for pages and most APIs, plus a lean Node layer for the
 * hot service endpoints (registered through `fastRoutes`) that must not pay Next's per-request
 * overhead. Both run in one process and share state through lib/server/singleton.ts.
 */
import "server-only";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import next from "next";
import { randomUUID } from "node:crypto";
import { CLIENT_IP_HEADER } from "../auth/options";
import { clientAddress, parseTrustedProxies } from "../http/client-address";
import { problemBody } from "../http/problem";
import { problemForBareMethodRefusals } from "../http/method-not-allowed";
import { baseSecurityHeaders, newNonce, pageCsp, type SecurityOptions } from "../http/security-headers";

export type FastRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface AppServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * An encoded NUL (`%00`) anywhere in the URL, or a path whose percent-encoding is not UTF-8
 * (e.g. an encoded lone surrogate, `%ED%A0%80`), is refused here, for pages, Next routes and
 * the lean routes alike: no route has a use for them, Next cannot decode the latter into route
 * parameters, and Postgres cannot store or compare the former.
 */
function refuseUnstorableUrl(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  let detail: string | null = url.includes("\u0000") || /%00/i.test(url) ? "The URL contains an encoded NUL character (%00)." : null;
  if (!detail) {
    try {
      decodeURIComponent(q === -1 ? url : url.slice(0, q));
    } catch {
      detail = "The URL path is not valid percent-encoded UTF-8.";
    }
  }
  if (!detail) return false;
  req.resume();
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(400, "invalid_input", detail, requestId));
  res.writeHead(400, { "content-type": "application/problem+json", "content-length": Buffer.byteLength(body), "x-request-id": requestId });
  res.end(body);
  return true;
}

export async function startHttpServer(opts: {
  dev: boolean;
  dir: string;
  host: string;
  port: number;
  fastRoutes?: FastRoute[];
  /** The public URL is https (HSTS). */
  https?: boolean;
  /** ROLLGATE_TRUSTED_PROXIES: whose X-Forwarded-For is believed for the client address. */
  trustedProxies?: string;
}): Promise<AppServer> {
  const proxies = parseTrustedProxies(opts.trustedProxies ?? "");
  const security: SecurityOptions = { https: opts.https ?? false, dev: opts.dev };
  const baseHeaders = Object.entries(baseSecurityHeaders(security));
  const app = next({ dev: opts.dev, dir: opts.dir, hostname: opts.host, port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer(async (req, res) => {
    // The client address as this server saw it (or its trusted proxies); a value sent by the client is discarded.
    req.headers[CLIENT_IP_HEADER] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);
    for (const [name, value] of baseHeaders) res.setHeader(name, value);
    try {
      if (refuseUnstorableUrl(req, res)) return;
      for (const r of opts.fastRoutes ?? []) if (await r(req, res)) return;
      // Pages: a fresh nonce. Next reads it from the request's CSP header and puts it on its scripts.
      const nonce = newNonce();
      const csp = pageCsp(nonce, security);
      req.headers["content-security-policy"] = csp;
      req.headers["x-nonce"] = nonce;
      res.setHeader("content-security-policy", csp);
      if (req.url?.startsWith("/api/")) problemForBareMethodRefusals(req, res);
      await handle(req, res);
    } catch (error) {
      console.error("request failed", error);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ title: "Internal error", status: 500, code: "internal" }));
      } else res.destroy();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const url = `http://${opts.host === "0.0.0.0" ? "127.0.0.1" : opts.host}:${opts.port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
