/**
 * In-process "configuration changed" channel. Services call `emitConfigChanged` right after a
 * transaction that bumped an environment's config_version commits; the snapshot store reloads
 * at once. Other instances learn the same through Postgres NOTIFY (trigger on
 * environments.config_version) or, where NOTIFY is unavailable (embedded PGlite), through the
 * periodic version check.
 */
import { EventEmitter } from "node:events";
import { singleton } from "../singleton";

export interface ConfigChanged {
  environmentId: string;
  /** The committed config_version, when the emitter knows it. */
  version?: string;
}

const emitter = () =>
  singleton("configEvents", () => {
    const e = new EventEmitter();
    e.setMaxListeners(0);
    return e;
  });

export function emitConfigChanged(event: ConfigChanged): void {
  emitter().emit("changed", event);
}

export function onConfigChanged(listener: (event: ConfigChanged) => void): () => void {
  emitter().on("changed", listener);
  return () => emitter().off("changed", listener);
}
