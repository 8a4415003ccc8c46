/**
 * Every API route the app serves: the Next route files under app/api (enumerated from disk, with
 * the methods they export) and the lean node:http routes registered before Next.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { PATHS } from "@/lib/server/evaluation/fast-routes";
import { EVENTS_PATH } from "@/lib/server/services/metrics/events-endpoint";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiRoute {
  /** `/api/v1/flags/[key]/evaluate` as the file tree names it. */
  template: string;
  methods: Method[];
  lean: boolean;
}

const root = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name === "route.ts") out.push(p);
  }
  return out;
}

export function nextRoutes(): ApiRoute[] {
  return walk(path.join(root, "app/api")).map((file) => {
    const text = readFileSync(file, "utf8");
    const exported = [...text.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1] as Method);
    // next-auth's catch-all re-exports its handler as GET and POST.
    const reexported = /export\s*\{[^}]*\bas\s+GET\b[^}]*\}/.test(text) ? (["GET", "POST"] as Method[]) : [];
    const template = "/" + path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).join("/");
    return { template, methods: [...new Set([...exported, ...reexported])], lean: false };
  });
}

export function leanRoutes(): ApiRoute[] {
  return [
    { template: PATHS.evaluate, methods: ["POST"], lean: true },
    { template: PATHS.stream, methods: ["GET"], lean: true },
    { template: PATHS.ofrepBulk, methods: ["POST"], lean: true },
    { template: `${PATHS.ofrepFlagPrefix}[key]`, methods: ["POST"], lean: true },
    { template: PATHS.ofrepEvents, methods: ["GET"], lean: true },
    { template: EVENTS_PATH, methods: ["POST"], lean: true },
  ];
}
