"use client";
import { useRef, type KeyboardEvent } from "react";

const NEXT_KEYS = new Set(["ArrowRight", "ArrowDown"]);
const PREV_KEYS = new Set(["ArrowLeft", "ArrowUp"]);

/**
 * Radio semantics for a group of card buttons (role=radiogroup with a roving tabindex): Tab
 * enters the group on the checked card and leaves it at once; arrow keys, Home and End move to
 * another enabled card and select it, as with native radios. Spread `group` on the container
 * and `card(value)` on each card; disabled cards are skipped.
 */
export function useRadioCards<T extends string>({
  values,
  value,
  onChange,
  isDisabled = () => false,
}: {
  values: readonly T[];
  value: T | null;
  onChange: (value: T) => void;
  isDisabled?: (value: T) => boolean;
}) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const enabled = values.filter((v) => !isDisabled(v));
  const tabStop = value !== null && enabled.includes(value) ? value : enabled[0];

  function move(from: T, e: KeyboardEvent) {
    const i = enabled.indexOf(from);
    let next: T | undefined;
    if (NEXT_KEYS.has(e.key)) next = enabled[(i + 1) % enabled.length];
    else if (PREV_KEYS.has(e.key)) next = enabled[(i - 1 + enabled.length) % enabled.length];
    else if (e.key === "Home") next = enabled[0];
    else if (e.key === "End") next = enabled[enabled.length - 1];
    if (next === undefined) return;
    e.preventDefault();
    onChange(next);
    refs.current.get(next)?.focus();
  }

  return {
    group: { role: "radiogroup" as const },
    card: (v: T) => ({
      ref: (el: HTMLButtonElement | null) => {
        if (el) refs.current.set(v, el);
        else refs.current.delete(v);
      },
      type: "button" as const,
      role: "radio" as const,
      "aria-checked": value === v,
      tabIndex: v === tabStop ? 0 : -1,
      disabled: isDisabled(v),
      onClick: () => onChange(v),
      onKeyDown: (e: KeyboardEvent) => move(v, e),
    }),
  };
}
