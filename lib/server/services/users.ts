/**
 * Admin use cases for accounts: list, create, change roles/name/password, deactivate, and
 * "sign out everywhere". A password, role or active change ends the user's sessions in the
 * same transaction (lib/server/auth/sessions.ts).
 */
import "server-only";
import { DomainError } from "../../domain/errors";
import type { CreateUserBody, UpdateUserBody } from "../../schemas/users";
import type { Actor } from "../auth/actor";
import { hashPassword } from "../auth/password";
import { revokeUserSessions } from "../auth/sessions";
import { recordAudit } from "../audit/record-audit";
import { db } from "../db";

const publicUser = {
  id: true,
  email: true,
  name: true,
  roles: true,
  active: true,
  createdAt: true,
  lastLoginAt: true,
} as const;

export async function listUsers() {
  return db.user.findMany({ orderBy: { email: "asc" }, select: publicUser });
}

export async function createUser(actor: Actor, input: CreateUserBody, context: { requestId: string }) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email } });
    if (existing) throw new DomainError("conflict", `A user with the email ${input.email} already exists.`);
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, roles: input.roles, passwordHash },
      select: publicUser,
    });
    await recordAudit(tx, {
      actor,
      action: "user.create",
      resourceType: "user",
      resourceId: user.id,
      after: { email: user.email, name: user.name, roles: user.roles, active: user.active },
      context,
    });
    return user;
  });
}

export async function updateUser(actor: Actor, userId: string, input: UpdateUserBody, context: { requestId: string }) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, select: publicUser });
    if (!before) throw new DomainError("not_found", "No such user.");
    if (before.id === actor.id && (input.active === false || (input.roles && !input.roles.includes("admin")))) {
      throw new DomainError("conflict", "You cannot deactivate yourself or remove your own admin role.");
    }
    if (before.roles.includes("admin") && (input.active === false || (input.roles && !input.roles.includes("admin")))) {
      const admins = await tx.user.count({ where: { active: true, roles: { has: "admin" } } });
      if (admins <= 1) throw new DomainError("conflict", "This is the last active admin; make someone else admin first.");
    }
    const after = await tx.user.update({
      where: { id: userId },
      data: { name: input.name, roles: input.roles, active: input.active, passwordHash },
      select: publicUser,
    });
    const rolesChanged = input.roles !== undefined && [...input.roles].sort().join() !== [...before.roles].sort().join();
    const sessionsRevoked = passwordHash || rolesChanged || input.active === false ? await revokeUserSessions(tx, userId, { keep: actor.id === userId ? actor.sessionId : undefined }) : 0;
    const action = input.active === false ? "user.deactivate" : input.active === true && !before.active ? "user.reactivate" : "user.update";
    await recordAudit(tx, {
      actor,
      action,
      resourceType: "user",
      resourceId: userId,
      before: { name: before.name, roles: before.roles, active: before.active },
      after: { name: after.name, roles: after.roles, active: after.active, passwordChanged: Boolean(passwordHash) },
      context: { ...context, sessionsRevoked },
    });
    return after;
  });
}

/**
 * "Sign out everywhere": revokes every session of `userId`, the caller's own included when it is
 * the caller's account. Users may do it for themselves; admins (user.manage) for anyone.
 */
export async function signOutEverywhere(actor: Actor, userId: string, context: { requestId: string }) {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!user) throw new DomainError("not_found", "No such user.");
    const sessionsRevoked = await revokeUserSessions(tx, userId);
    await recordAudit(tx, {
      actor,
      action: "user.sign_out_everywhere",
      resourceType: "user",
      resourceId: userId,
      context: { ...context, sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}
