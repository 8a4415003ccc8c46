/**
 * In-process "outcomes arrived" signal: the ingestion service names the rollouts a committed
 * batch touched, and this instance's evaluator re-checks their critical gates (throttled), so a
 * regression is rolled back as soon as the evidence is enough instead of at the next tick.
 */
import "server-only";
import { singleton } from "../../singleton";

type Listener = (rolloutIds: readonly string[]) => void;

const listeners = () => singleton("outcomeSignalListeners", () => new Set<Listener>());

export function signalOutcomesIngested(rolloutIds: readonly string[]): void {
  if (rolloutIds.length === 0) return;
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
