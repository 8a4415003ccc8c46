/**
 * A dedicated Postgres connection that LISTENs on a few channels. It reconnects on its own with
 * exponential backoff, and reports every (re)connection so its user can re-check what it may have
 * missed while disconnected. On embedded PGlite nothing arrives across connections: the listener
 * notices, closes its connection (saving one of the embedded server's few slots) and reports
 * itself unsupported; its users rely on in-process events there.
 */
import "server-only";
import pg from "pg";

/** First reconnect delay; doubles per failed attempt up to RECONNECT_MAX_MS. */
export const RECONNECT_MIN_MS = 250;
export const RECONNECT_MAX_MS = 30_000;

export interface NotificationListener {
  /** Resolves after the first attempt to connect (successful or not); never rejects. */
  started: Promise<void>;
  isConnected(): boolean;
  /** False once the server turned out to be embedded PGlite (NOTIFY does not cross connections there). */
  isSupported(): boolean;
  stop(): Promise<void>;
}

export function startNotificationListener(opts: {
  connectionString: string;
  /** Plain identifiers (they are spliced into LISTEN). */
  channels: readonly string[];
  onNotification: (channel: string, payload: string | undefined) => void;
  /** Called after every successful (re)connection. */
  onConnected?: () => void;
  /** Names the listener in its log lines, e.g. "config listener". */
  name: string;
  log?: (message: string) => void;
}): NotificationListener {
  const log = opts.log ?? (() => {});
  const channels = new Set(opts.channels);
  for (const c of channels) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`not a channel name: ${c}`);
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
      if (connected) log(`${opts.name} disconnected (${why}); reconnecting`);
      connected = false;
      c.end().catch(() => {});
      scheduleReconnect();
    };
    c.on("error", (e) => drop(e.message));
    c.on("end", () => drop("connection ended"));
    c.on("notification", (msg) => {
      if (channels.has(msg.channel)) opts.onNotification(msg.channel, msg.payload);
    });
    try {
      await c.connect();
      const { rows } = await c.query<{ v: string }>("SELECT version() AS v");
      if (/PGlite/i.test(rows[0]?.v ?? "")) {
        supported = false;
        stopped = true;
        client = null;
        log(`${opts.name}: embedded PGlite does not deliver NOTIFY across connections; relying on in-process events`);
        await c.end().catch(() => {});
        return;
      }
      for (const channel of channels) await c.query(`LISTEN ${channel}`);
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
