/**
 * In-process "configuration changed" channel. Services call `emitConfigChanged` right after a
 * transaction that bumped an environment's config_version commits, and await it before they
 * answer: it resolves once this process's snapshot store serves that version (read-your-writes:
 * the next evaluation on this instance already sees the change). Other instances learn the same
 * through Postgres NOTIFY (trigger on environments.config_version) or, where NOTIFY is
 * unavailable (embedded PGlite), through the periodic version check.
 */
import "server-only";
import { singleton } from "../singleton";

export interface ConfigChanged {
  environmentId: string;
  /** The committed config_version, when the emitter knows it. */
  version?: string;
}

/** A listener may return a promise: the emitter waits for it (bounded by APPLY_TIMEOUT_MS). */
type ConfigListener = (event: ConfigChanged) => void | Promise<void>;

/**
 * Longest a write's answer waits for this instance to serve it. The change is committed either
 * way; past this (a database too slow to re-read) the answer goes out and the reload finishes behind it.
 */
export const APPLY_TIMEOUT_MS = 2_000;

const listeners = () => singleton("configEventListeners", () => new Set<ConfigListener>());

export async function emitConfigChanged(event: ConfigChanged): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const listener of listeners()) {
    try {
      const done = listener(event);
      if (done) pending.push(done.catch(() => undefined));
    } catch {
      // A failing listener must not fail the write that already committed.
    }
  }
  if (pending.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, APPLY_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

export function onConfigChanged(listener: ConfigListener): () => void {
  listeners().add(listener);
  return () => void listeners().delete(listener);
}
