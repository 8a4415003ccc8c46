import { describe, expect, test } from "vitest";
import { sloTemplate } from "./templates";

describe("SLO templates", () => {
  test("availability freezes promotions on a fast burn and on an exhausted budget", () => {
    expect(sloTemplate("availability", "f").policies).toEqual([
      { on: "page", actions: ["notify", "freeze_promotions"] },
      { on: "budget_exhausted", actions: ["notify", "freeze_promotions"] },
    ]);
  });
});
