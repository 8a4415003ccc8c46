import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./signature";

describe("webhook signature", () => {
  // Reference value computed independently: HMAC-SHA256(key="s3cret", msg='{"a":1}').
  const reference = createHmac("sha256", "s3cret").update('{"a":1}').digest("hex");

  test("is sha256=<hex HMAC-SHA256 of the raw body>", () => {
    expect(signWebhookBody("s3cret", '{"a":1}')).toBe(`sha256=${reference}`);
    expect(signWebhookBody("s3cret", '{"a":1}')).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  test("matches the RFC 4231 test case 2 vector", () => {
    // Key "Jefe", data "what do ya want for nothing?".
    expect(signWebhookBody("Jefe", "what do ya want for nothing?")).toBe("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  test.each([
    ["the right signature", "s3cret", '{"a":1}', `sha256=${reference}`, true],
    ["upper-case hex", "s3cret", '{"a":1}', `sha256=${reference.toUpperCase()}`, true],
    ["another secret", "other", '{"a":1}', `sha256=${reference}`, false],
    ["a re-serialised body", "s3cret", '{ "a": 1 }', `sha256=${reference}`, false],
    ["no prefix", "s3cret", '{"a":1}', reference, false],
    ["a truncated digest", "s3cret", '{"a":1}', `sha256=${reference.slice(0, 40)}`, false],
    ["a missing header", "s3cret", '{"a":1}', null, false],
  ])("verify: %s → %s", (_name, secret, body, header, valid) => {
    expect(verifyWebhookSignature(secret, body, header)).toBe(valid);
  });
});
