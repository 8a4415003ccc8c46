import { describe, expect, test } from "vitest";
import { BACKOFF_BASE_SECONDS, MAX_DELIVERY_ATTEMPTS, backoffSeconds, decideAfterAttempt } from "./backoff";

describe("webhook retry schedule", () => {
  test.each([
    [0, 10],
    [1, 10],
    [2, 20],
    [3, 40],
    [7, 640],
  ])("after failed attempt %i wait %i s", (attempt, seconds) => {
    expect(backoffSeconds(attempt)).toBe(seconds);
  });

  test("the whole schedule spans about 21 minutes over 8 attempts", () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    const waits = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => backoffSeconds(i + 1));
    expect(waits.reduce((a, b) => a + b, 0)).toBe(BACKOFF_BASE_SECONDS * (2 ** 7 - 1));
  });

  test.each([
    ["200 succeeds", 1, 200, { status: "succeeded" }],
    ["204 succeeds", 3, 204, { status: "succeeded" }],
    ["299 succeeds", 8, 299, { status: "succeeded" }],
    ["500 retries", 1, 500, { status: "pending", retryInSeconds: 10 }],
    ["a 3xx redirect retries", 2, 302, { status: "pending", retryInSeconds: 20 }],
    ["a timeout (no status) retries", 4, null, { status: "pending", retryInSeconds: 80 }],
    ["the 7th failure still retries", 7, 503, { status: "pending", retryInSeconds: 640 }],
    ["the 8th failure gives up", 8, 500, { status: "failed" }],
    ["a 4xx on the last attempt gives up", 8, 404, { status: "failed" }],
  ])("%s", (_name, attempt, status, decision) => {
    expect(decideAfterAttempt(attempt, status)).toEqual(decision);
  });
});
