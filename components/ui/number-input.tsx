"use client";
import { useEffect, useState, type InputHTMLAttributes } from "react";
import { Input } from "./field";

/**
 * A number field that keeps what is typed ("0.", "1e") while reporting a number: `null` when blank,
 * NaN when not a number (the form's validation names the field). The text follows `value` when
 * it changes from outside.
 */
export function NumberInput({ value, onValue, ...rest }: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type"> & { value: number | null; onValue: (v: number | null) => void }) {
  const [text, setText] = useState(value == null || Number.isNaN(value) ? "" : String(value));
  useEffect(() => {
    const parsed = text.trim() === "" ? null : Number(text);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- takes the parent's new value unless the text already shows it (so "1." survives typing)
    if (!(parsed === value || (Number.isNaN(parsed) && Number.isNaN(value)))) setText(value == null || Number.isNaN(value) ? "" : String(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the parent's value changes, not on each keystroke
  }, [value]);
  return (
    <Input
      {...rest}
      type="text"
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onValue(e.target.value.trim() === "" ? null : Number(e.target.value));
      }}
    />
  );
}
