"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * State of the navigation that folds away on narrow screens: opening moves focus to the first
 * link, Escape closes it and gives focus back to the menu button, and any navigation (a link
 * followed, the environment switched) closes it.
 */
export function useCollapsibleNav() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const pathname = usePathname();
  const query = useSearchParams().toString();

  const [seen, setSeen] = useState({ pathname, query });
  if (seen.pathname !== pathname || seen.query !== query) {
    setSeen({ pathname, query });
    setOpen(false);
  }

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>("nav a[href]")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") close(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, close]);

  return { open, toggle: () => setOpen((o) => !o), close, buttonRef, panelRef };
}
