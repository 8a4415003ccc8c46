/**
 * A dedicated Postgres connection that LISTENs on `rollgate_config` (the trigger on
 * environments.config_version notifies it at commit), through the reconnecting listener of
 * lib/server/db/notification-listener.ts. Every (re)connection is reported so the store can
 * re-check versions it may have missed while disconnected. On embedded PGlite nothing arrives
 * across connections; the store's periodic version check covers that case.
 */
import "server-only";
import { startNotificationListener, type NotificationListener } from "../db/notification-listener";

export const CONFIG_CHANNEL = "rollgate_config";

export interface ConfigNotification {
  environmentId: string;
  version: string;
}

export type ConfigListener = NotificationListener;

/** Parses the trigger's payload; null for anything else (never throws). */
export function parseConfigNotification(payload: string | undefined): ConfigNotification | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as { environmentId?: unknown; version?: unknown };
    if (typeof value.environmentId !== "string") return null;
    if (typeof value.version !== "number" && typeof value.version !== "string") return null;
    return { environmentId: value.environmentId, version: String(value.version) };
  } catch {
    return null;
  }
}

export function startConfigListener(opts: {
  connectionString: string;
  onNotification: (n: ConfigNotification) => void;
  /** Called after every successful (re)connection. */
  onConnected?: () => void;
  log?: (message: string) => void;
}): ConfigListener {
  return startNotificationListener({
    connectionString: opts.connectionString,
    channels: [CONFIG_CHANNEL],
    name: "config listener",
    onNotification: (_channel, payload) => {
      const n = parseConfigNotification(payload);
      if (n) opts.onNotification(n);
    },
    onConnected: opts.onConnected,
    log: opts.log,
  });
}
