import { describe, expect, test } from "vitest";
import { WeightedLru } from "./weighted-lru";

describe("WeightedLru", () => {
  test("evicts the least recently used entries once the weight passes the bound", () => {
    const lru = new WeightedLru<number[]>(10, (v) => v.length);
    lru.set("a", [1, 2, 3, 4]);
    lru.set("b", [1, 2, 3, 4]);
    expect(lru.get("a")).toEqual([1, 2, 3, 4]); // "a" is now the most recent
    lru.set("c", [1, 2, 3]);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toEqual([1, 2, 3, 4]);
    expect(lru.get("c")).toEqual([1, 2, 3]);
    expect(lru.weight).toBe(7);
  });

  test("replacing a key keeps one entry and its new weight; an entry heavier than the bound is not kept", () => {
    const lru = new WeightedLru<number[]>(5, (v) => v.length);
    lru.set("a", [1, 2]);
    lru.set("a", [1, 2, 3]);
    expect(lru.size).toBe(1);
    expect(lru.weight).toBe(3);
    lru.set("big", [1, 2, 3, 4, 5, 6]);
    expect(lru.get("big")).toBeUndefined();
    expect(lru.get("a")).toEqual([1, 2, 3]);
  });
});
