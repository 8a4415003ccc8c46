// Import boundaries between the layers (docs/architecture.md, "Enforced boundaries"); checked by
// `npm run lint` and the lint tier of `npm test`.
//
// dependency-cruiser rather than eslint's no-restricted-imports: it resolves every import (the `@/`
// alias and relative paths alike) to a file before matching, so one rule per boundary holds however
// the import is spelled, and it tells `import type` apart from value imports ("type-only").
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-plain-typescript",
      comment: "lib/domain is plain TypeScript: no request schemas, server code, framework or Prisma (types included).",
      severity: "error",
      from: { path: "^lib/domain/" },
      to: { path: "^lib/(schemas|server)/" },
    },
    {
      name: "domain-has-no-framework",
      comment: "lib/domain imports neither Next, React nor Prisma's client (types included).",
      severity: "error",
      from: { path: "^lib/domain/" },
      to: { path: "^node_modules/(next|react|react-dom|@prisma/client|\\.prisma)/" },
    },
    {
      name: "client-takes-no-server-values",
      comment: "components/ and lib/client run in the browser: from lib/server they may import types only.",
      severity: "error",
      from: { path: "^(components|lib/client)/" },
      to: { path: "^lib/server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "services-do-not-call-automation",
      comment: "Background workers (lib/server/automation) use services, never the reverse.",
      severity: "error",
      from: { path: "^lib/server/services/" },
      to: { path: "^lib/server/automation/" },
    },
    {
      name: "evaluation-does-not-call-services",
      comment: "The evaluation path serves from its snapshot; it does not call management services.",
      severity: "error",
      from: { path: "^lib/server/evaluation/" },
      to: { path: "^lib/server/services/" },
    },
    {
      name: "routes-do-not-import-automation",
      comment: "Routes and pages go through services; only the composition root (lib/server/runtime) starts the workers.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^lib/server/automation/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(lib/server/generated|\\.next|packages/[^/]+/dist|bench/results|test-results)/" },
    // Parse TypeScript before compilation, so type-only imports are seen (and labelled as such).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
