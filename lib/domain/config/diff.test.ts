import { describe, expect, test } from "vitest";
import { changesServing, diffFields, planConfig, staleResources } from "./diff";
import type { CurrentResource, DesiredResource } from "./types";

const flagSpec = (defaultVariant: string) => ({
  kind: "model",
  description: "",
  variants: [
    { key: "a", payload: { provider: "openai", model: "gpt-4o" } },
    { key: "b", payload: { provider: "openai", model: "gpt-4.1" } },
  ],
  defaultVariant,
  fallbackVariant: "a",
  stickiness: "userId",
  enabled: true,
  rules: [],
});

const current: CurrentResource[] = [
  { kind: "Flag", name: "bot.model", id: "f1", version: "3", spec: flagSpec("a") },
  { kind: "SLO", name: "availability", id: "s1", version: "abc", spec: { successRateTarget: 0.99, windowDays: 28 } },
  { kind: "Webhook", name: "slack", id: "w1", version: "def", spec: { url: "https://hooks.example/x/y", events: ["rollout.started"], active: true } },
];

describe("planConfig", () => {
  test("the same documents plan nothing", () => {
    const desired: DesiredResource[] = current.map(({ kind, name, spec }) => ({ kind, name, spec }));
    const plan = planConfig(desired, current, { prune: true });
    expect(plan.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(plan.every((c) => c.fields.length === 0)).toBe(true);
  });

  test("an edited default variant is one field change against the flag's version, and changes serving", () => {
    const plan = planConfig([{ kind: "Flag", name: "bot.model", spec: flagSpec("b") }], current, { prune: false });
    expect(plan).toEqual([{ kind: "Flag", name: "bot.model", action: "update", version: "3", fields: [{ path: "defaultVariant", before: "a", after: "b" }] }]);
    expect(changesServing(plan[0])).toBe(true);
  });

  test("a description edit does not change serving; a payload edit names its leaf", () => {
    const edited = { ...flagSpec("a"), description: "x" };
    const [d] = planConfig([{ kind: "Flag", name: "bot.model", spec: edited }], current, { prune: false });
    expect(changesServing(d)).toBe(false);
    const payload = flagSpec("a");
    (payload.variants[1].payload as { model: string }).model = "gpt-5";
    const [p] = planConfig([{ kind: "Flag", name: "bot.model", spec: payload }], current, { prune: false });
    expect(p.fields).toEqual([{ path: "variants.1.payload.model", before: "gpt-4.1", after: "gpt-5" }]);
  });

  test("new resources are created; without prune the rest is left alone, with prune archived or deleted", () => {
    const desired: DesiredResource[] = [{ kind: "SLO", name: "latency", spec: { successRateTarget: 0.9, windowDays: 7 } }];
    expect(planConfig(desired, current, { prune: false }).map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual(["create SLO/latency"]);
    expect(planConfig(desired, current, { prune: true }).map((c) => `${c.action} ${c.kind}/${c.name}`)).toEqual([
      "archive Flag/bot.model",
      "delete SLO/availability",
      "create SLO/latency",
      "delete Webhook/slack",
    ]);
  });
});

describe("diffFields", () => {
  test("null and absent are the same; a grown array shows whole", () => {
    expect(diffFields({ a: null }, {})).toEqual([]);
    expect(diffFields({ l: [1] }, { l: [1, 2] })).toEqual([{ path: "l", before: [1], after: [1, 2] }]);
  });
  test("key order is not a difference", () => {
    expect(diffFields({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
  });
});

describe("staleResources", () => {
  test("names what changed or appeared since the plan", () => {
    expect(staleResources({ "Flag/bot.model": "3", "SLO/availability": "abc", "SLO/new": null }, current)).toEqual([]);
    expect(staleResources({ "Flag/bot.model": "2", "Webhook/slack": null }, current)).toEqual([
      { ref: "Flag/bot.model", expected: "2", current: "3" },
      { ref: "Webhook/slack", expected: null, current: "def" },
    ]);
  });
});
