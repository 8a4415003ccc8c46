import { describe, expect, test } from "vitest";
import { maskUrl, REDACTED, redactSecrets } from "./redact";

describe("maskUrl", () => {
  test.each([
    ["https://hooks.slack.com/services/T000/B000/XXXXSECRET", "https://hooks.slack.com/***"],
    ["http://user:pass@example.com:8080/hook?token=abc", "http://example.com:8080/***"],
    ["https://example.com", "https://example.com/"],
    ["https://example.com/", "https://example.com/"],
    ["https://example.com?k=v", "https://example.com/***"],
    ["not a url", REDACTED],
  ])("%s → %s", (input, masked) => {
    expect(maskUrl(input)).toBe(masked);
  });
});

test("redactSecrets masks URLs and secret fields at any depth and keeps everything else", () => {
  const record = {
    name: "Slack",
    url: "https://hooks.slack.com/services/T1/B2/abc",
    callbackUrl: "https://x.example/path",
    secret: "whsec_abc",
    secretGenerated: true,
    nested: [{ password: "hunter2hunter2", webhookUrl: "http://10.0.0.1/x", events: ["rollout.transition"] }],
    count: 3,
  };
  expect(redactSecrets(record)).toEqual({
    name: "Slack",
    url: "https://hooks.slack.com/***",
    callbackUrl: "https://x.example/***",
    secret: REDACTED,
    secretGenerated: true,
    nested: [{ password: REDACTED, webhookUrl: "http://10.0.0.1/***", events: ["rollout.transition"] }],
    count: 3,
  });
  expect(redactSecrets(null)).toBeNull();
});
