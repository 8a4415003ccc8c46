/**
 * Times on the rollout page are UTC, like the automatic actions' banners ("Rolled back at 14:02
 * UTC"), and say so; one time zone for every chart, tooltip and estimate.
 */
const time = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });
const dayHour = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const day = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "short", day: "numeric" });
const full = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Axis tick of a chart whose points are `stepSeconds` wide: "14:02", "3 Dec, 14:00" or "3 Dec". */
export function utcTick(stepSeconds: number): (t: number) => string {
  return (t) => (stepSeconds >= 6 * 3600 ? day.format(t) : stepSeconds >= 3600 ? dayHour.format(t) : time.format(t));
}

/** "3 Dec 2026, 14:02:11 UTC". */
export function formatUtc(iso: string | number | null | undefined): string {
  if (iso == null) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${full.format(d)} UTC`;
}

/** "3 Dec, 14:02 UTC". */
export function formatUtcShort(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : `${dayHour.format(d)} UTC`;
}
