import { z } from "zod";
import { ROLES } from "../domain/auth/permissions";

export const roleSchema = z.enum(ROLES);

export const passwordSchema = z.string().min(12, "passwords need at least 12 characters").max(200, "passwords may have at most 200 characters");

export const createUserBodySchema = z
  .object({
    email: z.string().trim().toLowerCase().email("a valid email address is required"),
    name: z.string().trim().min(1, "a name is required").max(100),
    roles: z.array(roleSchema).min(1, "give the user at least one role").max(4),
    password: passwordSchema,
  })
  .strict();

export const updateUserBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    roles: z.array(roleSchema).min(1, "give the user at least one role").max(4).optional(),
    active: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "send at least one field to change");

export type CreateUserBody = z.infer<typeof createUserBodySchema>;
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;
