import { describe, expect, test } from "vitest";
import { checkSameOrigin } from "./same-origin";

const APP = "http://127.0.0.1:3330";
const h = (init: Record<string, string>) => new Headers({ host: "127.0.0.1:3330", ...init });

describe("checkSameOrigin", () => {
  test("safe methods pass whatever their origin", () => {
    expect(checkSameOrigin("GET", h({ origin: "http://evil.example" }), APP, false)).toEqual({ ok: true });
  });

  test("the app's own origin with a JSON body passes", () => {
    expect(checkSameOrigin("POST", h({ origin: APP, "content-type": "application/json" }), APP, true)).toEqual({ ok: true });
    expect(checkSameOrigin("PATCH", h({ "sec-fetch-site": "same-origin", "content-type": "application/merge-patch+json" }), APP, true)).toEqual({ ok: true });
    expect(checkSameOrigin("POST", h({ referer: `${APP}/settings/users`, "content-type": "application/json; charset=utf-8" }), APP, true)).toEqual({ ok: true });
    expect(checkSameOrigin("DELETE", h({ origin: APP }), APP, false)).toEqual({ ok: true });
  });

  test("the request's own Host counts as the app (HOST=0.0.0.0 reached by another name)", () => {
    const headers = new Headers({ host: "rollgate.lan:3330", origin: "http://rollgate.lan:3330", "content-type": "application/json" });
    expect(checkSameOrigin("POST", headers, APP, true)).toEqual({ ok: true });
  });

  test.each([
    ["another port on the same host", { origin: "http://127.0.0.1:3338" }],
    ["an opaque origin", { origin: "null" }],
    ["a same-site fetch without Origin", { "sec-fetch-site": "same-site" }],
    ["a cross-site Referer", { referer: "http://127.0.0.1:3338/attack.html" }],
    ["no browser header at all", {}],
  ])("%s is refused with 403", (_name, headers) => {
    expect(checkSameOrigin("POST", h({ ...headers, "content-type": "application/json" }), APP, true)).toMatchObject({ ok: false, status: 403, code: "cross_site_request" });
  });

  test.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""])("a %j body is refused with 415", (type) => {
    const headers = h({ origin: APP, "content-length": "2", ...(type ? { "content-type": type } : {}) });
    expect(checkSameOrigin("POST", headers, APP, true)).toMatchObject({ ok: false, status: 415 });
  });

  test("an empty form POST to a command without body schema is still 415", () => {
    const headers = h({ origin: APP, "content-type": "application/x-www-form-urlencoded", "content-length": "0" });
    expect(checkSameOrigin("POST", headers, APP, false)).toMatchObject({ ok: false, status: 415 });
  });
});
