/**
 * "Outcomes arrived" signal: the ingestion service names the rollouts a committed batch touched,
 * and the evaluator re-checks their critical gates (throttled), so a regression is rolled back as
 * soon as the evidence is enough instead of at the next tick. Listeners in this process hear it
 * at once; the leader on another instance through NOTIFY (outcome-notify.ts).
 */
import "server-only";
import { singleton } from "../../singleton";
import { publishOutcomesTouched } from "./outcome-notify";

type Listener = (rolloutIds: readonly string[]) => void;

const listeners = () => singleton("outcomeSignalListeners", () => new Set<Listener>());

export function signalOutcomesIngested(rolloutIds: readonly string[]): void {
  if (rolloutIds.length === 0) return;
  publishOutcomesTouched(rolloutIds);
  for (const listener of listeners()) {
    try {
      listener(rolloutIds);
    } catch {
      // The batch is committed; a listener's failure is its own.
    }
  }
}

export function onOutcomesIngested(listener: Listener): () => void {
  listeners().add(listener);
  return () => void listeners().delete(listener);
}
