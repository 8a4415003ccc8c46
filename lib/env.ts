/**
 * The one place that reads process.env. Every variable is validated here and documented in
 * the README's configuration table; the rest of the code receives typed values.
 */
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** Postgres to use. Absent → the embedded PGlite database under ROLLGATE_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  ROLLGATE_DATA_DIR: z.string().default(".data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Public base URL of the app (sign-in callbacks); defaults to http://HOST:PORT. */
  ROLLGATE_URL: z.string().url().optional(),
  /** Session signing secret; generated once and stored in the database when absent. */
  AUTH_SECRET: z.string().min(32).optional(),
  ROLLGATE_ADMIN_EMAIL: z.string().email().optional(),
  ROLLGATE_ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Seed demo data into a real (non-embedded) database. */
  ROLLGATE_DEMO: bool,
  /** Run the demo traffic simulator inside the app when demo data was seeded; "0" turns it off. */
  ROLLGATE_DEMO_TRAFFIC: z
    .enum(["1", "0", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => v === undefined || v === "" || v === "1" || v === "true" || v === "yes"),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("SSO"),
  ROLLGATE_EVALUATOR_INTERVAL_SECONDS: z.coerce.number().positive().default(30),
  ROLLGATE_EXPOSURE_FLUSH_SECONDS: z.coerce.number().positive().default(5),
  ROLLGATE_SNAPSHOT_POLL_SECONDS: z.coerce.number().positive().default(5),
  ROLLGATE_EVENT_RETENTION_DAYS: z.coerce.number().int().positive().default(7),
  ROLLGATE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /**
   * Failed sign-ins per (account, client address) in a 15-minute window before delays begin
   * (lib/domain/auth/sign-in-throttle.ts); four times as many per address across accounts.
   */
  ROLLGATE_SIGNIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  /**
   * Comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed for the
   * client address; empty → the socket's address is the client's.
   */
  ROLLGATE_TRUSTED_PROXIES: z.string().default(""),
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  ROLLGATE_METRICS_TOKEN: z.string().min(16).optional(),
  PROMETHEUS_URL: z.string().url().optional(),
  /** Distinct flag keys, and rollout ids, that get their own label on /metrics; later ones count as `other`. */
  ROLLGATE_METRICS_MAX_SERIES_KEYS: z.coerce.number().int().positive().default(500),

  /** Let webhooks reach loopback, link-local and private addresses (on-premise receivers). */
  ROLLGATE_WEBHOOK_ALLOW_PRIVATE: bool,
  /** Disable the background workers (evaluator, webhook sender) in this instance. */
  ROLLGATE_DISABLE_WORKERS: bool,
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parses and caches the environment; throws a readable error listing every bad variable. */
export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** For tests and the start script, which set variables after import. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** The base URL the app is reachable at. */
export function appUrl(env: Env = getEnv()): string {
  return env.ROLLGATE_URL ?? `http://${env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST}:${env.PORT}`;
}
