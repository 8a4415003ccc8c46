import type { DeliverableEvent } from "./events";

/*
 * Webhook bodies. Every delivery is one JSON object: machine-readable fields plus `text`, a
 * one-line sentence in Slack's mrkdwn, so the URL of a Slack (or Mattermost, Discord-/slack)
 * incoming webhook works as a receiver unchanged; extra fields are ignored there.
 */

export interface WebhookActor {
  type: "user" | "api_key" | "system";
  label: string;
}

export interface RolloutSummary {
  id: string;
  flagKey: string;
  strategy: string;
  state: string;
  /** 0-based, as in the API. */
  stageIndex: number;
  stageCount: number;
  /** "stage 2 (5%)". */
  stage: string;
  /** Treatment share of users after the transition, in basis points. */
  trafficBasisPoints: number;
  controlVariant: string;
  treatmentVariant: string;
  url?: string;
}

export interface TransitionSummary {
  command: string;
  fromState: string;
  toState: string;
  fromStage: number;
  toStage: number;
  comment: string | null;
  /** The state machine's sentence, e.g. "Promoted from stage 1 (1%) to stage 2 (5%)". */
  summary: string;
  automatic: boolean;
}

export interface FlagSummary {
  key: string;
  killSwitch: boolean;
  fallbackVariant: string;
  reason: string | null;
  url?: string;
}

/** What a producer supplies; enqueueing adds event, occurredAt and environment. */
export interface WebhookContent {
  text: string;
  actor?: WebhookActor;
  rollout?: RolloutSummary;
  transition?: TransitionSummary;
  flag?: FlagSummary;
  [extra: string]: unknown;
}

export interface WebhookPayload extends WebhookContent {
  event: DeliverableEvent;
  /** ISO-8601. */
  occurredAt: string;
  /** The environment the event happened in; null for a test event of an all-environments webhook. */
  environment: { id: string; key: string } | null;
}

/** Slack mrkdwn control characters in user-supplied text (comments, names). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function link(url: string | undefined, label: string): string {
  return url ? ` <${url}|${label}>` : "";
}

function by(actor: WebhookActor | undefined): string {
  if (!actor) return "";
  return actor.type === "system" ? " (automatic)" : ` by ${slackEscape(actor.label)}`;
}

function quoted(comment: string | null | undefined): string {
  const c = comment?.trim();
  return c ? `: “${slackEscape(c.length > 300 ? `${c.slice(0, 297)}…` : c)}”` : "";
}

/**
 * A rollout transition, e.g.
 * "[production] support-bot.model (canary): Promoted from stage 1 (1%) to stage 2 (5%) by ana@x.io: “looks good” <url|Open rollout>".
 * Approval requests start with ":raising_hand: Approval needed —", rollbacks with ":rewind:".
 */
export function rolloutTransitionContent(input: { environmentKey: string; actor: WebhookActor; rollout: RolloutSummary; transition: TransitionSummary }): WebhookContent {
  const { environmentKey, actor, rollout, transition } = input;
  const prefix =
    transition.toState === "rolled_back" ? ":rewind: " : transition.toState === "awaiting_approval" && transition.fromState !== "awaiting_approval" ? ":raising_hand: Approval needed — " : "";
  const text =
    `${prefix}[${slackEscape(environmentKey)}] *${slackEscape(rollout.flagKey)}* (${rollout.strategy.replace("_", " ")}): ` +
    `${slackEscape(transition.summary)}${by(actor)}${quoted(transition.comment)}${link(rollout.url, "Open rollout")}`;
  return { text, actor, rollout, transition };
}

/**
 * The kill switch turned on or off, e.g.
 * ":rotating_light: [production] Kill switch ON for *support-bot.model*: everyone is served gpt-4o (fallback) by sre@x.io: “timeouts”".
 */
export function killSwitchContent(input: { environmentKey: string; actor: WebhookActor; flag: FlagSummary }): WebhookContent {
  const { environmentKey, actor, flag } = input;
  const env = slackEscape(environmentKey);
  const key = slackEscape(flag.key);
  const text = flag.killSwitch
    ? `:rotating_light: [${env}] Kill switch ON for *${key}*: everyone is served ${slackEscape(flag.fallbackVariant)} (fallback)` + `${by(actor)}${quoted(flag.reason)}${link(flag.url, "Open flag")}`
    : `[${env}] Kill switch OFF for *${key}*: normal evaluation resumes${by(actor)}${quoted(flag.reason)}${link(flag.url, "Open flag")}`;
  return { text, actor, flag };
}

/** The body of "send test event". */
export function testEventContent(input: { webhookName: string; actor: WebhookActor }): WebhookContent {
  return {
    text: `:white_check_mark: Test event from Rollgate: webhook “${slackEscape(input.webhookName)}” reaches this endpoint${by(input.actor)}`,
    actor: input.actor,
    test: true,
  };
}

/** The full body of one delivery. */
export function webhookPayload(event: DeliverableEvent, occurredAt: Date, environment: { id: string; key: string } | null, content: WebhookContent): WebhookPayload {
  return { ...content, event, occurredAt: occurredAt.toISOString(), environment };
}
