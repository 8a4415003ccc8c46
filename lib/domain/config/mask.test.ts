import { describe, expect, test } from "vitest";
import { maskUrl, resolveUrl } from "./mask";

describe("maskUrl", () => {
  test("keeps the origin and the first path segment, masks the rest, query values and passwords", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXX")).toBe("https://hooks.slack.com/services/***");
    expect(maskUrl("https://example.com/hook?token=s3cret&team=x")).toBe("https://example.com/hook?token=***&team=***");
    expect(maskUrl("https://bot:pw@example.com/a")).toBe("https://bot:***@example.com/a");
    expect(maskUrl("http://127.0.0.1:9/never")).toBe("http://127.0.0.1:9/never");
  });
});

describe("resolveUrl", () => {
  const current = "https://hooks.slack.com/services/T000/B000/XXXX";
  test("a plain URL is itself; a matching mask keeps the current URL", () => {
    expect(resolveUrl("https://x.example/a", current)).toEqual({ url: "https://x.example/a" });
    expect(resolveUrl("https://hooks.slack.com/services/***", current)).toEqual({ url: current });
  });
  test("a mask that does not match, or with nothing current, is an error", () => {
    expect(resolveUrl("https://other.example/services/***", current)).toHaveProperty("error");
    expect(resolveUrl("https://hooks.slack.com/services/***", undefined)).toHaveProperty("error");
  });
});
