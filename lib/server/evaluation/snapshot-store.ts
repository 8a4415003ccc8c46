/**
 * The in-memory configuration every evaluation is served from: per environment an
 * immutable snapshot of its flags (with their active rollouts), plus every live API key, so the
 * evaluation path — authentication included — never touches the database.
 *
 * Refresh triggers, fastest first:
 * 1. `onConfigChanged` — a commit in this process (services await it after committing, so their
 *    answer goes out only once this store serves the change);
 * 2. Postgres NOTIFY on `rollgate_config` — a commit in any other instance (not on PGlite);
 * 3. a version check every ROLLGATE_SNAPSHOT_POLL_SECONDS — the safety net for missed
 *    notifications, the embedded database, and API-key changes that did not bump a version.
 * Reloads of one environment are coalesced: at most one runs, and at most one more is queued
 * behind it however many triggers arrive meanwhile.
 *
 * Fail static: when the database cannot be read the last good snapshot keeps serving and the
 * health signal `snapshot` (or `healthKey`) says why; the next successful check clears it.
 */
import "server-only";
import { createHash } from "node:crypto";
import { permissionsForScopes, type Permission } from "../../domain/auth/permissions";
import type { FlagSnapshot } from "../../domain/flags";
import { hashApiKey, type ResolvedApiKey } from "../auth/api-keys";
import { healthSignals } from "../observability/health-signals";
import { onConfigChanged } from "./config-events";
import { startConfigListener, type ConfigListener } from "./config-listener";
import type { ApiKeyRow, SnapshotSource } from "./snapshot-source";

export interface EnvironmentSnapshot {
  readonly environmentId: string;
  readonly environmentKey: string;
  /** environments.config_version, decimal. */
  readonly version: string;
  /** `"v<version>"`: a strong entity tag for the configuration itself. */
  readonly etag: string;
  readonly flags: ReadonlyMap<string, FlagSnapshot>;
  /** The same flags ordered by key (what "evaluate all flags" walks). */
  readonly flagList: readonly FlagSnapshot[];
  /** When this instance loaded it (ms since epoch). */
  readonly loadedAt: number;
}

/** An API key as the serving path needs it. */
export interface ServingKey extends ResolvedApiKey {
  keyHash: string;
  permissions: ReadonlySet<Permission>;
  /** Opaque token that authorizes only the OFREP change-notification stream of this key's environment. */
  streamToken: string;
}

export interface SnapshotStoreOptions {
  source: SnapshotSource;
  /** Connection string for the LISTEN connection; omit to rely on the other triggers. */
  listenUrl?: string;
  /** Version-check interval in seconds (> 0). */
  pollSeconds: number;
  /** Follow this process's `onConfigChanged` channel (default true; tests of other "instances" turn it off). */
  inProcessEvents?: boolean;
  /** Key in healthSignals() used while degraded (default "snapshot"). */
  healthKey?: string;
  log?: (message: string) => void;
}

type SnapshotListener = (snapshot: EnvironmentSnapshot) => void;

export const configEtag = (version: string) => `"v${version}"`;

/** sha256("rollgate-stream:" + keyHash), 32 hex chars; reveals nothing about the key. */
export function streamTokenFor(keyHash: string): string {
  return `rgs_${createHash("sha256").update(`rollgate-stream:${keyHash}`).digest("hex").slice(0, 32)}`;
}

const newer = (a: string, b: string) => BigInt(a) > BigInt(b);

/** Live raw keys remembered (each maps to an existing ServingKey). */
const MAX_CACHED_RAW_KEYS = 10_000;

/** A read that takes longer counts as failed (a black-holed database must not stall refreshes forever). */
export const READ_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms = READ_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2025";
}

/** Runs `task` once at a time; calls during a run queue exactly one more run, which they all share. */
function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const p: Promise<void> = task().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    queued = running.then(() => {
      queued = null;
      return start();
    });
    return queued;
  };
}

export class SnapshotStore {
  private readonly snapshots = new Map<string, EnvironmentSnapshot>();
  private keysByHash = new Map<string, ServingKey>();
  private keysByStreamToken = new Map<string, ServingKey>();
  private keyIds: ReadonlySet<string> = new Set();
  /** Raw key → live key, so known keys skip hashing; emptied whenever the key set is replaced. */
  private rawKeyCache = new Map<string, ServingKey>();
  private keyFingerprint: string | null = null;
  private readonly reloads = new Map<string, () => Promise<void>>();
  private readonly reloadKeys = coalesced(() => this.loadKeys());
  private readonly check = coalesced(() => this.runVersionCheck());
  private readonly listeners = new Set<SnapshotListener>();
  private readonly keyListeners = new Set<() => void>();
  private readonly failures = new Map<string, string>();
  private readonly log: (message: string) => void;
  private readonly healthKey: string;
  private listener: ConfigListener | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private unsubscribeEvents: (() => void) | null = null;
  private ready = false;
  private started: Promise<void> | null = null;
  /** Tail of the read queue: the store's reads run one at a time (see `read`). */
  private readTail: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SnapshotStoreOptions) {
    this.log = opts.log ?? ((m) => console.warn(`[snapshot] ${m}`));
    this.healthKey = opts.healthKey ?? "snapshot";
  }

  /** Loads everything once, then follows changes. Never rejects: a database that is down now is retried by the poll. */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (this.opts.inProcessEvents ?? true) {
        this.unsubscribeEvents = onConfigChanged((e) => this.onChange(e.environmentId, e.version));
      }
      await this.checkVersions();
      if (this.opts.listenUrl) {
        this.listener = startConfigListener({
          connectionString: this.opts.listenUrl,
          onNotification: (n) => void this.onChange(n.environmentId, n.version),
          // Notifications sent while disconnected are lost: look at the versions again.
          onConnected: () => void this.checkVersions(),
          log: this.log,
        });
        await this.listener.started;
      }
      this.pollTimer = setInterval(() => void this.checkVersions(), this.opts.pollSeconds * 1000);
      this.pollTimer.unref();
    })();
    return this.started;
  }

  async stop(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.unsubscribeEvents?.();
    this.unsubscribeEvents = null;
    await this.listener?.stop();
    this.listener = null;
    healthSignals().delete(this.healthKey);
  }

  /** True once every environment and the API keys have been loaded at least once. */
  isReady(): boolean {
    return this.ready;
  }

  isListening(): boolean {
    return this.listener?.isConnected() ?? false;
  }

  snapshot(environmentId: string): EnvironmentSnapshot | undefined {
    return this.snapshots.get(environmentId);
  }

  environments(): EnvironmentSnapshot[] {
    return [...this.snapshots.values()];
  }

  /** The live key for a raw `rg_…` key, or null (unknown or revoked). */
  resolveKey(rawKey: string): ServingKey | null {
    const cached = this.rawKeyCache.get(rawKey);
    if (cached) return cached;
    const key = this.keysByHash.get(hashApiKey(rawKey)) ?? null;
    // Only live keys are remembered, so random garbage cannot grow the cache.
    if (key && this.rawKeyCache.size < MAX_CACHED_RAW_KEYS) this.rawKeyCache.set(rawKey, key);
    return key;
  }

  /** Ids of every live (loaded, non-revoked) key. */
  liveKeyIds(): ReadonlySet<string> {
    return this.keyIds;
  }

  resolveStreamToken(token: string): ServingKey | null {
    return this.keysByStreamToken.get(token) ?? null;
  }

  /** Called with each new snapshot version of any environment. Returns the unsubscribe function. */
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the API-key map was replaced (e.g. a key was revoked). */
  onKeysChanged(listener: () => void): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /**
   * Reloads one environment unless the snapshot already has `minVersion` (when given).
   * Coalesced; resolves when a load that started after this call has finished. Never rejects.
   */
  refresh(environmentId: string, minVersion?: string): Promise<void> {
    const current = this.snapshots.get(environmentId);
    if (current && minVersion !== undefined && !newer(minVersion, current.version)) return Promise.resolve();
    let reload = this.reloads.get(environmentId);
    if (!reload) {
      reload = coalesced(() => this.loadEnvironment(environmentId));
      this.reloads.set(environmentId, reload);
    }
    return reload();
  }

  /** The safety-net check (also run by the poll timer): versions and key fingerprint. Never rejects. */
  checkVersions(): Promise<void> {
    return this.check();
  }

  /**
   * Runs the store's database reads one after another, each bounded by READ_TIMEOUT_MS. They are
   * rare, so this costs nothing, and the embedded PGlite (one shared session behind the socket)
   * returns wrong results when a read overlaps another connection's open transaction.
   */
  private read<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.readTail.then(() => withTimeout(fn()));
    this.readTail = run.catch(() => undefined);
    return run;
  }

  /** Resolves when this environment's snapshot and the key set have been reloaded. Never rejects. */
  private async onChange(environmentId: string, version: string | undefined): Promise<void> {
    // Key changes bump the version too (and the poll's fingerprint catches those that do not).
    await Promise.all([this.refresh(environmentId, version), this.reloadKeys()]);
  }

  private async runVersionCheck(): Promise<void> {
    let versions;
    let fingerprint;
    try {
      versions = await this.read(() => this.opts.source.listVersions());
      fingerprint = await this.read(() => this.opts.source.apiKeyFingerprint());
    } catch (error) {
      this.fail("poll", error);
      return;
    }
    this.failures.delete("poll");
    const loads: Promise<void>[] = [];
    for (const { id, version } of versions) {
      const current = this.snapshots.get(id);
      if (!current || newer(version, current.version) || this.failures.has(`env:${id}`)) loads.push(this.refresh(id));
    }
    const live = new Set(versions.map((v) => v.id));
    for (const id of this.snapshots.keys()) if (!live.has(id)) this.snapshots.delete(id);
    if (fingerprint !== this.keyFingerprint || this.failures.has("keys")) loads.push(this.reloadKeys());
    await Promise.all(loads);
    if (this.failures.size === 0) this.ready = true;
    this.updateHealth();
  }

  private async loadEnvironment(environmentId: string): Promise<void> {
    try {
      const data = await this.read(() => this.opts.source.loadEnvironment(environmentId));
      this.failures.delete(`env:${environmentId}`);
      const current = this.snapshots.get(environmentId);
      // Loads can finish out of order; never go back to an older version.
      if (current && !newer(data.version, current.version)) return;
      const flagList = [...data.flags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const snapshot: EnvironmentSnapshot = Object.freeze({
        environmentId: data.environmentId,
        environmentKey: data.environmentKey,
        version: data.version,
        etag: configEtag(data.version),
        flags: new Map(flagList.map((f) => [f.key, f])),
        flagList,
        loadedAt: Date.now(),
      });
      this.snapshots.set(environmentId, snapshot);
      for (const l of this.listeners) {
        try {
          l(snapshot);
        } catch (error) {
          this.log(`snapshot listener failed: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      if (isNotFound(error)) {
        this.snapshots.delete(environmentId);
        this.failures.delete(`env:${environmentId}`);
      } else {
        this.fail(`env:${environmentId}`, error);
      }
    }
    this.updateHealth();
  }

  private async loadKeys(): Promise<void> {
    try {
      const fingerprint = await this.read(() => this.opts.source.apiKeyFingerprint());
      const rows = await this.read(() => this.opts.source.loadApiKeys());
      this.keyFingerprint = fingerprint;
      this.replaceKeys(rows);
      this.failures.delete("keys");
    } catch (error) {
      this.fail("keys", error);
    }
    this.updateHealth();
  }

  private replaceKeys(rows: ApiKeyRow[]): void {
    const byHash = new Map<string, ServingKey>();
    const byToken = new Map<string, ServingKey>();
    for (const r of rows) {
      const key: ServingKey = {
        id: r.id,
        name: r.name,
        environmentId: r.environmentId,
        scopes: r.scopes,
        rateLimitPerSecond: r.rateLimitPerSecond,
        revoked: false,
        keyHash: r.keyHash,
        permissions: permissionsForScopes(r.scopes),
        streamToken: streamTokenFor(r.keyHash),
      };
      byHash.set(r.keyHash, key);
      byToken.set(key.streamToken, key);
    }
    this.keysByHash = byHash;
    this.keysByStreamToken = byToken;
    this.keyIds = new Set(rows.map((r) => r.id));
    this.rawKeyCache = new Map();
    for (const l of this.keyListeners) {
      try {
        l();
      } catch (error) {
        this.log(`key listener failed: ${(error as Error).message}`);
      }
    }
  }

  private fail(part: string, error: unknown): void {
    const message = error instanceof Error ? (error.message.split("\n").filter(Boolean).pop() ?? error.message) : String(error);
    if (!this.failures.has(part)) this.log(`cannot read configuration (${part}): ${message}`);
    this.failures.set(part, message);
    this.updateHealth();
  }

  private updateHealth(): void {
    if (this.failures.size === 0) {
      healthSignals().delete(this.healthKey);
      return;
    }
    const [first] = this.failures.values();
    const serving = this.environments()
      .map((s) => `${s.environmentKey}@v${s.version} (loaded ${new Date(s.loadedAt).toISOString()})`)
      .join(", ");
    healthSignals().set(this.healthKey, `Cannot read the configuration from the database (${first}); ` + (serving ? `serving the last good snapshot: ${serving}.` : "no snapshot loaded yet."));
  }
}
