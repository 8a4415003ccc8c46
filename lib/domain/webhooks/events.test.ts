import { describe, expect, test } from "vitest";
import { pickSubscribedEvent, rolloutTransitionEvents } from "./events";

describe("rollout transition events", () => {
  test.each([
    ["running", "rolled_back", ["rollout.rolled_back", "rollout.transition"]],
    ["running", "awaiting_approval", ["rollout.approval_requested", "rollout.transition"]],
    ["awaiting_approval", "awaiting_approval", ["rollout.transition"]],
    ["running", "running", ["rollout.transition"]],
    ["running", "completed", ["rollout.transition"]],
    ["draft", "aborted", ["rollout.transition"]],
  ])("%s → %s matches %j", (from, to, events) => {
    expect(rolloutTransitionEvents(to, from)).toEqual(events);
  });

  test.each([
    ["only the generic one", ["rollout.transition"], "rollout.transition"],
    ["both: the specific one, once", ["rollout.transition", "rollout.rolled_back"], "rollout.rolled_back"],
    ["only the specific one", ["rollout.rolled_back"], "rollout.rolled_back"],
    ["neither", ["flag.kill_switch"], null],
  ])("a rollback to a webhook subscribed to %s", (_name, subscribed, expected) => {
    expect(pickSubscribedEvent(rolloutTransitionEvents("rolled_back", "running"), subscribed)).toBe(expected);
  });
});
