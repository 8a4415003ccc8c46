import { getEventListeners } from "node:events";
import { describe, expect, test } from "vitest";
import { sleep } from "./run";

describe("sleep", () => {
  test("leaves no abort listener behind once its timer fired", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("an abort ends every pending sleep at once and removes their listeners", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeps = Array.from({ length: 5 }, () => sleep(60_000, controller.signal));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(5);
    controller.abort();
    await Promise.all(sleeps);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("does not wait on an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    await sleep(60_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
