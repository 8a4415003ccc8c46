#!/usr/bin/env node
// The CLI is TypeScript run through tsx, a dependency of this package: no build step, and the
// same source runs from the repository (`npx rollgate`) and from an installed package.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
