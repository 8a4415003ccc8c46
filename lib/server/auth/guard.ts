/**
 * The one auth guard: who is calling (the session cookie; API keys in lib/server/http/route.ts).
 * Pages use `requirePageActor`; route handlers get the actor through lib/server/http/route.ts.
 * What an actor may do is checked by ./access.ts, which services import: it has no Next.js
 * imports, so services also load in plain Node (start-up seeding, benchmarks, workers).
 */
import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { userActor, type Actor } from "./actor";
import { buildAuthOptions } from "./options";
import { liveSession } from "./sessions";

/** The signed-in user, when the cookie names a session that is not revoked or expired and whose user is active. */
export async function sessionActor(): Promise<Actor | null> {
  const session = await getServerSession(buildAuthOptions());
  const sessionId = (session?.user as { sid?: string } | undefined)?.sid;
  if (!sessionId) return null;
  const live = await liveSession(sessionId);
  if (!live) return null;
  return { ...userActor(live.user), sessionId };
}

/** For server-rendered pages: no session → sign-in page; returns the actor otherwise. */
export async function requirePageActor(nextPath?: string): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect(nextPath ? `/login?callbackUrl=${encodeURIComponent(nextPath)}` : "/login");
  return actor;
}
