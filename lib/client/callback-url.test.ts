import { describe, expect, test } from "vitest";
import { safeCallbackUrl, safeRedirectUrl, sameOriginPath } from "./callback-url";

describe("callbackUrl is a same-origin path or /", () => {
  test.each([
    ["/audit?env=staging", "/audit?env=staging"],
    ["/flags/a.model#rules", "/flags/a.model#rules"],
    ["/rollouts/ü", "/rollouts/%C3%BC"],
    ["/a/../b", "/b"],
  ])("%s is kept (normalised)", (input, expected) => expect(safeCallbackUrl(input)).toBe(expected));

  test.each([
    "/\t/evil.example/phish",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "\n",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http://127.0.0.1:3801.evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/login?callbackUrl=/x",
    "/api/v1/users",
    "",
    "/" + "a".repeat(3000),
  ])("%j becomes /", (input) => expect(safeCallbackUrl(input)).toBe("/"));

  test("arrays take the first value; absent is /", () => {
    expect(safeCallbackUrl(["/slos", "//evil"])).toBe("/slos");
    expect(safeCallbackUrl(undefined)).toBe("/");
    expect(sameOriginPath(42)).toBeNull();
  });
});

describe("next-auth redirect callback", () => {
  const base = "http://127.0.0.1:3801";
  test("paths and same-origin URLs stay on the origin", () => {
    expect(safeRedirectUrl("/login", base)).toBe("http://127.0.0.1:3801/login");
    expect(safeRedirectUrl("http://127.0.0.1:3801/audit?x=1", base)).toBe("http://127.0.0.1:3801/audit?x=1");
  });
  test.each(["http://127.0.0.1:3801.evil.example/", "https://evil.example/", "//evil.example", "/\t/evil.example", "http://127.0.0.1:3801//evil.example", "not a url", "%0A"])(
    "%j becomes the base",
    (input) => expect(safeRedirectUrl(input, base)).toBe("http://127.0.0.1:3801/"),
  );
});
