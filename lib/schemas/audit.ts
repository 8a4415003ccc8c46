import { z } from "zod";

/** Record ids are Postgres `bigint`s. */
const MAX_RECORD_ID = 9_223_372_036_854_775_807n;

const isoDate = z.iso.datetime({ offset: true, message: "use an ISO-8601 timestamp, e.g. 2026-11-24T12:00:00Z" });

export const auditQuerySchema = z
  .object({
    actor: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    resourceType: z.string().max(100).optional(),
    resourceId: z.string().max(200).optional(),
    environment: z.string().max(64).optional(),
    q: z.string().max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Records with an id below this (newest first). */
    cursor: z
      .string()
      .regex(/^\d{1,19}$/, "cursor is a record id")
      // zod runs refinements after a failed regex too: only digits reach BigInt.
      .refine((v) => !/^\d{1,19}$/.test(v) || BigInt(v) <= MAX_RECORD_ID, "cursor is beyond any record id")
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const auditExportQuerySchema = auditQuerySchema.omit({ cursor: true, limit: true }).extend({ format: z.enum(["csv", "json"]).default("json") });

export type AuditQuery = z.infer<typeof auditQuerySchema>;
