"use client";
import { useState } from "react";
import { sampleSizeTwoProportions } from "@/lib/domain/stats";
import { Field, Input } from "../ui/field";
import styles from "./analysis.module.css";

/** Percent text → fraction, or null when it is not a number. */
const fraction = (text: string) => (text.trim() === "" || !Number.isFinite(Number(text)) ? null : Number(text) / 100);

/**
 * Sample size per arm for a two-proportion test (the same function the planner uses), from a
 * baseline rate, the smallest absolute change worth detecting, α and power. Pure client-side math.
 */
export function PowerCalculator({ baseline }: { baseline: number | null }) {
  const [base, setBase] = useState(baseline != null ? (baseline * 100).toFixed(1) : "95");
  const [mde, setMde] = useState("1");
  const [alpha, setAlpha] = useState("5");
  const [power, setPower] = useState("80");

  let answer: string;
  try {
    const [b, m, a, p] = [fraction(base), fraction(mde), fraction(alpha), fraction(power)];
    if (b == null || m == null || a == null || p == null) throw new Error("Enter numbers in every field.");
    const n = sampleSizeTwoProportions({ baseline: b, mde: -Math.abs(m), alpha: a, power: p });
    answer = `${n.toLocaleString("en-US")} requests per arm detect a drop from ${base}% to ${(Number(base) - Math.abs(Number(mde))).toFixed(2)}% with ${power}% power at α = ${a}.`;
  } catch (e) {
    answer = e instanceof Error ? e.message : String(e);
  }

  return (
    <div data-testid="power-calculator">
      <div className={styles.calcGrid}>
        <Field label="Baseline success (%)">{(f) => <Input {...f} inputMode="decimal" value={base} onChange={(e) => setBase(e.target.value)} />}</Field>
        <Field label="Smallest change (points)">{(f) => <Input {...f} inputMode="decimal" value={mde} onChange={(e) => setMde(e.target.value)} />}</Field>
        <Field label="α (%)">{(f) => <Input {...f} inputMode="decimal" value={alpha} onChange={(e) => setAlpha(e.target.value)} />}</Field>
        <Field label="Power (%)">{(f) => <Input {...f} inputMode="decimal" value={power} onChange={(e) => setPower(e.target.value)} />}</Field>
      </div>
      <p className="small" data-testid="power-answer">
        {answer}
      </p>
    </div>
  );
}
