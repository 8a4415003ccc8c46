import { expect, test } from "vitest";
import { baseSecurityHeaders, newNonce, pageCsp } from "./security-headers";

test("every answer forbids framing and sniffing; HSTS only behind https", () => {
  const http = baseSecurityHeaders({ https: false });
  expect(http).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin" });
  expect(http["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  expect(http["strict-transport-security"]).toBeUndefined();
  expect(baseSecurityHeaders({ https: true })["strict-transport-security"]).toBe("max-age=31536000");
});

test("pages allow only nonce'd scripts and the app's own styles; style attributes stay allowed", () => {
  const nonce = newNonce();
  expect(nonce).not.toBe(newNonce());
  const csp = pageCsp(nonce, { https: false });
  expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
  expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
  expect(csp).toContain("style-src-attr 'unsafe-inline'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toContain("upgrade-insecure-requests");
  expect(pageCsp(nonce, { https: true })).toContain("upgrade-insecure-requests");
});
