import { expect, test } from "vitest";
import { ADVISORY_LOCKS } from "./advisory-locks";

test("every advisory lock key is distinct", () => {
  const keys = Object.values(ADVISORY_LOCKS);
  expect(new Set(keys).size).toBe(keys.length);
});
