import { z } from "zod";
import { API_KEY_SCOPES } from "../domain/auth/permissions";
import { environmentKeySchema, idParamsSchema } from "./common";

/**
 * Zod schemas of the API-keys API (admin). Names 1-100 chars after trimming; 1 to all scopes,
 * each once; `rateLimitPerSecond` an integer 1-100000, absent → the column default
 * (`DEFAULT_API_KEY_RATE_LIMIT`, as in prisma/schema.prisma).
 */

export const MAX_API_KEY_NAME_CHARS = 100;
export const MIN_API_KEY_RATE_LIMIT = 1;
export const MAX_API_KEY_RATE_LIMIT = 100_000;
/** `ApiKey.rateLimitPerSecond @default(1000)`; a test proves the two agree. */
export const DEFAULT_API_KEY_RATE_LIMIT = 1000;

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES, { error: `scopes are ${API_KEY_SCOPES.join(", ")}` });

export const createApiKeyBodySchema = z.strictObject({
  environment: environmentKeySchema,
  name: z.string().trim().min(1, { error: "a name is required" }).max(MAX_API_KEY_NAME_CHARS),
  scopes: z
    .array(apiKeyScopeSchema)
    .min(1, { error: "choose at least one scope" })
    .transform((scopes) => [...new Set(scopes)]),
  rateLimitPerSecond: z.number().int({ error: "the rate limit is a whole number of requests per second" }).min(MIN_API_KEY_RATE_LIMIT).max(MAX_API_KEY_RATE_LIMIT).optional(),
});
export type CreateApiKeyBody = z.output<typeof createApiKeyBodySchema>;
export type CreateApiKeyInput = z.input<typeof createApiKeyBodySchema>;

/** GET /api-keys: every environment's keys, or one environment's with `?environment=`. */
export const listApiKeysQuerySchema = z.object({ environment: environmentKeySchema.optional() });
export type ListApiKeysQuery = z.output<typeof listApiKeysQuerySchema>;

export const apiKeyParamsSchema = idParamsSchema;
