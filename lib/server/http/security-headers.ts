/**
 * Security headers for every answer, set once in the process's HTTP server
 * (lib/server/runtime/http-server.ts) for Next's pages and routes and for the lean layer alike.
 *
 * Pages get a CSP with a fresh nonce per request: Next reads the nonce from the request's
 * `Content-Security-Policy` header and puts it on its own scripts (hence every page renders
 * dynamically). `'strict-dynamic'` lets those scripts load the app's chunks and nothing else.
 * Style *attributes* need `style-src-attr 'unsafe-inline'`: React renders `style={…}` props
 * (recharts' SVG, progress bars, the traffic split) as inline style attributes, which a nonce
 * cannot cover; attributes cannot run script, and `<style>` elements still need the nonce.
 * Everything else (JSON, SSE, metrics) gets a CSP that allows nothing at all.
 */
import "server-only";
import { randomBytes } from "node:crypto";

export interface SecurityOptions {
  /** The public URL is https: send HSTS and upgrade insecure requests. */
  https: boolean;
  /** `next dev` needs eval and inline styles for its overlay and hot reload. */
  dev?: boolean;
}

/** Headers every answer carries (CSP for non-page answers; pages override it). */
export function baseSecurityHeaders(opts: SecurityOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  };
  if (opts.https) headers["strict-transport-security"] = "max-age=31536000";
  return headers;
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/** The CSP of server-rendered pages. */
export function pageCsp(nonce: string, opts: SecurityOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    opts.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (opts.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}
