import { describe, expect, test } from "vitest";
import { killSwitchContent, rolloutTransitionContent, slackEscape, testEventContent, webhookPayload } from "./payload";

const rollout = {
  id: "r1",
  flagKey: "support-bot.model",
  strategy: "canary",
  state: "running",
  stageIndex: 1,
  stageCount: 5,
  stage: "stage 2 (5%)",
  trafficBasisPoints: 500,
  controlVariant: "gpt-4o",
  treatmentVariant: "gpt-4.1",
  url: "http://rollgate.test/rollouts/r1",
};
const transition = {
  command: "promote",
  fromState: "running",
  toState: "running",
  fromStage: 0,
  toStage: 1,
  comment: "error rate <1%",
  summary: "Promoted from stage 1 (1%) to stage 2 (5%)",
  automatic: false,
};
const user = { type: "user" as const, label: "ana@example.com" };

describe("webhook payloads", () => {
  test("a promotion reads as one Slack sentence with escaped comment and a link", () => {
    const content = rolloutTransitionContent({ environmentKey: "production", actor: user, rollout, transition });
    expect(content.text).toBe(
      "[production] *support-bot.model* (canary): Promoted from stage 1 (1%) to stage 2 (5%) by ana@example.com: " + "“error rate &lt;1%” <http://rollgate.test/rollouts/r1|Open rollout>",
    );
    expect(content.rollout).toEqual(rollout);
    expect(content.transition).toEqual(transition);
  });

  test.each([
    ["rolled_back", "running", ":rewind: "],
    ["awaiting_approval", "running", ":raising_hand: Approval needed — "],
    ["awaiting_approval", "awaiting_approval", "[production]"],
  ])("→ %s from %s starts with %j", (toState, fromState, start) => {
    const content = rolloutTransitionContent({
      environmentKey: "production",
      actor: { type: "system", label: "system" },
      rollout,
      transition: { ...transition, toState, fromState, comment: null },
    });
    expect(content.text.startsWith(start)).toBe(true);
    expect(content.text).toContain("(automatic)");
  });

  test("kill switch on and off", () => {
    const flag = { key: "support-bot.model", killSwitch: true, fallbackVariant: "gpt-4o", reason: "timeouts" };
    expect(killSwitchContent({ environmentKey: "production", actor: user, flag }).text).toBe(
      ":rotating_light: [production] Kill switch ON for *support-bot.model*: everyone is served gpt-4o (fallback) by ana@example.com: “timeouts”",
    );
    expect(killSwitchContent({ environmentKey: "staging", actor: user, flag: { ...flag, killSwitch: false, reason: null } }).text).toBe(
      "[staging] Kill switch OFF for *support-bot.model*: normal evaluation resumes by ana@example.com",
    );
  });

  test("the envelope adds event, time and environment", () => {
    const body = webhookPayload("webhook.test", new Date("2026-01-02T03:04:05.006Z"), null, testEventContent({ webhookName: "Ops <Slack>", actor: user }));
    expect(body).toMatchObject({ event: "webhook.test", occurredAt: "2026-01-02T03:04:05.006Z", environment: null, test: true });
    expect(body.text).toContain("“Ops &lt;Slack&gt;”");
  });

  test("long comments are shortened", () => {
    const content = rolloutTransitionContent({
      environmentKey: "production",
      actor: user,
      rollout: { ...rollout, url: undefined },
      transition: { ...transition, comment: "x".repeat(1000) },
    });
    expect(content.text.length).toBeLessThan(450);
    expect(content.text.endsWith("…”")).toBe(true);
  });

  test("slackEscape escapes &, < and >", () => {
    expect(slackEscape("a & <b> c")).toBe("a &amp; &lt;b&gt; c");
  });
});
