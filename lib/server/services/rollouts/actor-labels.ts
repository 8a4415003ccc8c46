/** Names for the actor ids stored in transitions and approvals (users, API keys, "system"). */
import "server-only";
import type { DbOrTx } from "../../db";

export interface ActorRef {
  id: string;
  type: "user" | "api_key" | "system";
  label: string;
}

/** Resolves every id at once; unknown ids (deleted users) keep the id as label. */
export async function resolveActors(client: DbOrTx, ids: Iterable<string>): Promise<(id: string) => ActorRef> {
  const wanted = [...new Set(ids)].filter((id) => id !== "system");
  const [users, keys] = wanted.length
    ? await Promise.all([
        client.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } }),
        client.apiKey.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } }),
      ])
    : [[], []];
  const map = new Map<string, ActorRef>();
  for (const u of users) map.set(u.id, { id: u.id, type: "user", label: u.name ? `${u.name} (${u.email})` : u.email });
  for (const k of keys) map.set(k.id, { id: k.id, type: "api_key", label: `API key “${k.name}”` });
  return (id) => (id === "system" ? { id, type: "system", label: "Rollgate (automatic)" } : (map.get(id) ?? { id, type: "user", label: id }));
}
