/**
 * A dedicated Postgres connection that LISTENs on `rollgate_config` (the trigger on
 * environments.config_version notifies it at commit). It reconnects on its own with exponential
 * backoff, and reports every (re)connection so the store can re-check versions it may have
 * missed while disconnected. On embedded PGlite nothing arrives across connections; the store's
 * periodic version check covers that case.
 */
import "server-only";
import pg from "pg";

export const CONFIG_CHANNEL = "rollgate_config";
/** First reconnect delay; doubles per failed attempt up to RECONNECT_MAX_MS. */
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 30_000;

export interface ConfigNotification {
  environmentId: string;
  version: string;
}

export interface ConfigListener {
  /** Resolves after the first attempt to connect (successful or not); never rejects. */
  started: Promise<void>;
  isConnected(): boolean;
  /** False once the server turned out to be embedded PGlite (NOTIFY does not cross connections there). */
  isSupported(): boolean;
  stop(): Promise<void>;
}

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
  const log = opts.log ?? (() => {});
  let client: pg.Client | null = null;
  let stopped = false;
  let connected = false;
  let supported = true;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let resolveStarted!: () => void;
  const started = new Promise<void>((resolve) => (resolveStarted = resolve));

  const scheduleReconnect = () => {
    if (stopped || timer) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt);
    attempt++;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  };

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: opts.connectionString, connectionTimeoutMillis: 5000, keepAlive: true });
    client = c;
    const drop = (why: string) => {
      if (client !== c) return;
      client = null;
      if (connected) log(`config listener disconnected (${why}); reconnecting`);
      connected = false;
      c.end().catch(() => {});
      scheduleReconnect();
    };
    c.on("error", (e) => drop(e.message));
    c.on("end", () => drop("connection ended"));
    c.on("notification", (msg) => {
      if (msg.channel !== CONFIG_CHANNEL) return;
      const n = parseConfigNotification(msg.payload);
      if (n) opts.onNotification(n);
    });
    try {
      await c.connect();
      const { rows } = await c.query<{ v: string }>("SELECT version() AS v");
      if (/PGlite/i.test(rows[0]?.v ?? "")) {
        // Also saves one of the embedded server's few connection slots.
        supported = false;
        stopped = true;
        client = null;
        log("embedded PGlite: LISTEN/NOTIFY does not cross connections; relying on in-process events and the version poll");
        await c.end().catch(() => {});
        return;
      }
      await c.query(`LISTEN ${CONFIG_CHANNEL}`);
      if (stopped || client !== c) {
        await c.end().catch(() => {});
        return;
      }
      connected = true;
      attempt = 0;
      opts.onConnected?.();
    } catch (e) {
      drop((e as Error).message);
    } finally {
      resolveStarted();
    }
  };

  void connect();

  return {
    started,
    isConnected: () => connected,
    isSupported: () => supported,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const c = client;
      client = null;
      connected = false;
      resolveStarted();
      await c?.end().catch(() => {});
    },
  };
}
