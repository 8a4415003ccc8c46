import { z } from "zod";

export const environmentKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "environment keys are lowercase letters, digits and dashes");

export const environmentQuerySchema = z.object({ environment: environmentKeySchema });

export const idParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const emptyBodySchema = z.object({}).strict();
