/**
 * Shapes of the JSON the dashboard reads from /api/v1. They mirror what the route handlers
 * return (dates arrive as ISO strings); request bodies reuse the zod-inferred types.
 */
import type { Role } from "../domain/auth/permissions";

export type { Role };
export type { CreateUserBody, UpdateUserBody } from "../schemas/users";

export interface Me {
  id: string;
  email: string;
  roles: Role[];
  permissions: string[];
}

export interface Environment {
  id: string;
  key: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AuditRecord {
  id: string;
  occurredAt: string;
  actorType: "user" | "api_key" | "system" | string;
  actorId: string;
  actorLabel: string;
  actorRoles: string[];
  action: string;
  resourceType: string;
  resourceId: string;
  environmentId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  context: JsonValue | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  records: AuditRecord[];
  nextCursor: string | null;
}

/** Filters of the audit list and export; empty strings mean "not filtered". */
export interface AuditFilters {
  actor?: string;
  action?: string;
  resourceType?: string;
  environment?: string;
  q?: string;
  /** ISO-8601 timestamps. */
  from?: string;
  to?: string;
}

export type AuditVerification =
  | { valid: true; records: number }
  | { valid: false; records: number; firstInvalidId: string; reason: string };
