import { describe, expect, test } from "vitest";
import { mulberry32, normalSampler } from "./random";

describe("mulberry32", () => {
  test("is deterministic per seed, differs across seeds, and stays in [0, 1)", () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const c = mulberry32(2);
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(Array.from({ length: 1000 }, c)).not.toEqual(first);
    expect(first.every((u) => u >= 0 && u < 1)).toBe(true);
  });

  test("is roughly uniform: each tenth of [0, 1) gets 10 % ± 1 % of 100 000 draws", () => {
    const draw = mulberry32(99);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(draw() * 10)]++;
    bins.forEach((count) => expect(Math.abs(count - 10_000)).toBeLessThan(1_000));
  });
});

describe("normalSampler", () => {
  test("draws a standard normal: mean ≈ 0, variance ≈ 1, 95 % within ±1.96", () => {
    const draw = normalSampler(mulberry32(5));
    const values = Array.from({ length: 20_000 }, draw);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1);
    const inside = values.filter((x) => Math.abs(x) < 1.96).length / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(inside - 0.95)).toBeLessThan(0.01);
  });
});
