// Bundles src/ together with the pure evaluation engine it imports from ../../lib/domain/flags
// into one ESM file, so the package evaluates exactly like the server without shipping the app.
import { build } from "esbuild";

await build({
  entryPoints: [new URL("./src/index.ts", import.meta.url).pathname],
  outfile: new URL("./dist/index.js", import.meta.url).pathname,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@openfeature/server-sdk", "@openfeature/core"],
  sourcemap: true,
  logLevel: "warning",
});
