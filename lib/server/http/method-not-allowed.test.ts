import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { problemForBareMethodRefusals } from "./method-not-allowed";

/** The ways Next's request handler answers, as seen by the custom server's `res`. */
const answers: Record<string, (res: ServerResponse) => void> = {
  "/end-only": (res) => {
    res.statusCode = 405;
    res.end();
  },
  "/flush-then-empty-body": (res) => {
    res.statusCode = 405;
    res.flushHeaders();
    res.write(Buffer.alloc(0));
    res.end();
  },
  "/own-problem": (res) => {
    res.writeHead(405, { "content-type": "application/problem+json" });
    res.end('{"status":405,"code":"custom"}');
  },
  "/ok": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"ok"');
    res.end(":true}");
  },
};

const server = createServer((req, res) => {
  problemForBareMethodRefusals(req, res);
  answers[req.url ?? ""](res);
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

for (const path of ["/end-only", "/flush-then-empty-body"]) {
  test(`a bare 405 (${path.slice(1)}) goes out as problem+json naming the method`, async () => {
    const res = await fetch(`${base}${path}`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body).toMatchObject({ status: 405, code: "method_not_allowed", title: "Method not allowed", detail: `DELETE is not supported on ${path}.` });
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });
}

test("a 405 that already has a type, and every other answer, pass through untouched", async () => {
  const own = await fetch(`${base}/own-problem`, { method: "PUT" });
  expect(await own.json()).toEqual({ status: 405, code: "custom" });
  const ok = await fetch(`${base}/ok`);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ ok: true });
});
