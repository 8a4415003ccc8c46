"use client";
import { useEffect, useState } from "react";

/** A confirmation message ("Key revoked") that clears itself after `ms`. */
export function useTransientNotice(ms = 6000): [string | null, (notice: string | null) => void] {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), ms);
    return () => clearTimeout(t);
  }, [notice, ms]);
  return [notice, setNotice];
}
