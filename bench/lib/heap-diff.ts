/**
 * What a V8 heap snapshot holds, by constructor (objects and closures by name, the rest by node
 * type), and what changed between two: the soak bench's "what grew between round 2 and the last".
 * `npx tsx bench/lib/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [top]`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface HeapGroup {
  group: string;
  count: number;
  bytes: number;
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self sizes summed per group. */
export function heapByConstructor(file: string): Map<string, HeapGroup> {
  const raw = JSON.parse(readFileSync(file, "utf8")) as RawSnapshot;
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < raw.nodes.length; i += stride) {
    const type = types[raw.nodes[i + typeAt]];
    const group = type === "object" || type === "closure" ? `${type} ${raw.strings[raw.nodes[i + nameAt]]}` : `(${type})`;
    const g = groups.get(group) ?? { group, count: 0, bytes: 0 };
    g.count++;
    g.bytes += raw.nodes[i + sizeAt];
    groups.set(group, g);
  }
  return groups;
}

/** The groups that grew most from `before` to `after` (bytes and count added). */
export function heapGrowth(before: string, after: string, top = 15) {
  const a = heapByConstructor(before);
  const b = heapByConstructor(after);
  const total = (m: Map<string, HeapGroup>) => [...m.values()].reduce((n, g) => n + g.bytes, 0);
  const growth = [...b.values()]
    .map((g) => ({ group: g.group, addedBytes: g.bytes - (a.get(g.group)?.bytes ?? 0), addedCount: g.count - (a.get(g.group)?.count ?? 0), count: g.count }))
    .sort((x, y) => y.addedBytes - x.addedBytes)
    .slice(0, top);
  return { beforeBytes: total(a), afterBytes: total(b), growth };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [before, after, top] = process.argv.slice(2);
  if (!before || !after) throw new Error("usage: heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [top]");
  const diff = heapGrowth(before, after, Number(top ?? 15));
  console.log(`reachable heap: ${(diff.beforeBytes / 2 ** 20).toFixed(2)} MB → ${(diff.afterBytes / 2 ** 20).toFixed(2)} MB`);
  for (const g of diff.growth) console.log(`${String(g.addedBytes).padStart(10)} B  ${String(g.addedCount).padStart(7)} objects  ${g.group}`);
}
