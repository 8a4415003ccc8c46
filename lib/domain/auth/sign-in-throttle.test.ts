import { describe, expect, test } from "vitest";
import { attackLevel, decideSignIn, delayMs, MAX_DELAY_MS } from "./sign-in-throttle";

const t0 = new Date("2026-12-03T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const none = { count: 0, last: null };

describe("decideSignIn", () => {
  test("free failures cost nothing, then delays double from the last failure", () => {
    const base = { account: 0, address: none, freeFailures: 5 };
    expect(decideSignIn({ ...base, pair: { count: 4, last: t0 }, now: t0 })).toEqual({ allowed: true });
    expect(decideSignIn({ ...base, pair: { count: 5, last: t0 }, now: at(500) })).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(decideSignIn({ ...base, pair: { count: 5, last: t0 }, now: at(1000) })).toEqual({ allowed: true });
    expect(decideSignIn({ ...base, pair: { count: 8, last: t0 }, now: at(7000) })).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(decideSignIn({ ...base, pair: { count: 8, last: t0 }, now: at(8000) })).toEqual({ allowed: true });
  });

  test("an account under attack still lets a clean address try at once", () => {
    const decision = decideSignIn({ pair: none, account: 500, address: none, freeFailures: 5, now: t0 });
    expect(decision).toEqual({ allowed: true });
  });

  test("under attack each address gets one free failure and starts with longer delays", () => {
    expect(attackLevel(19, 5)).toBe(0);
    expect(attackLevel(20, 5)).toBe(1);
    expect(attackLevel(40, 5)).toBe(2);
    const d = decideSignIn({ pair: { count: 1, last: t0 }, account: 40, address: { count: 1, last: t0 }, freeFailures: 5, now: at(3000) });
    expect(d).toMatchObject({ allowed: false, reason: "account_address", retryAfterSeconds: 1 });
  });

  test("one address spraying many accounts is slowed down for every account", () => {
    const d = decideSignIn({ pair: none, account: 0, address: { count: 22, last: t0 }, freeFailures: 5, now: at(1000) });
    expect(d).toMatchObject({ allowed: false, reason: "address", retryAfterSeconds: 3 });
  });

  test("delays are capped", () => {
    expect(delayMs(0)).toBe(1000);
    expect(delayMs(100)).toBe(MAX_DELAY_MS);
  });
});
