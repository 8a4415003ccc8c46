/**
 * Top frames of a V8 CPU profile (.cpuprofile, as `--cpu-prof` or BENCH_PROFILE=1 write them) by
 * self time: the sum of each function's samples, grouped by name and file:line, as a share of
 * the samples that were not idle. `npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FrameShare {
  frame: string;
  selfMs: number;
  /** Share of the non-idle samples, in %. */
  share: number;
}

const IDLE = new Set(["(idle)", "(program)"]);

export function topSelfFrames(profile: Profile, top = 20): { busyMs: number; frames: FrameShare[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    if (IDLE.has(name)) return;
    const delta = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const where = url
      ? `${url
          .replace(/^file:\/\//, "")
          .replace(/.*\/node_modules\//, "~/")
          .replace(process.cwd() + "/", "")}:${lineNumber + 1}`
      : "";
    const frame = where ? `${name} ${where}` : name;
    selfUs.set(frame, (selfUs.get(frame) ?? 0) + delta);
    busyUs += delta;
  });
  const frames = [...selfUs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, us]) => ({ frame, selfMs: Math.round(us / 100) / 10, share: Math.round((us / busyUs) * 1000) / 10 }));
  return { busyMs: Math.round(busyUs / 1000), frames };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile> [top]");
  const { busyMs, frames } = topSelfFrames(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(process.argv[3] ?? 20));
  console.log(`${path.basename(file)}: ${busyMs} ms busy`);
  for (const f of frames) console.log(`${String(f.share).padStart(5)}%  ${String(f.selfMs).padStart(8)} ms  ${f.frame}`);
}
