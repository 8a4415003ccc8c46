import { expect, test } from "vitest";
import { KeyCap, OTHER_LABEL } from "./key-cap";

test("admits the first `max` distinct keys for good, then answers `other`", () => {
  const cap = new KeyCap(3);
  expect(["f1", "f2", "f1", "f3"].map((k) => cap.label(k))).toEqual(["f1", "f2", "f1", "f3"]);
  expect(cap.label("f4")).toBe(OTHER_LABEL);
  expect(cap.label("f5")).toBe(OTHER_LABEL);
  // An admitted key keeps its label after the cap is reached.
  expect(cap.label("f2")).toBe("f2");
  expect(cap.size).toBe(3);
});
