/**
 * What `import "server-only"` resolves to outside Next's bundler: tsconfig.json maps the name
 * here (tsx, which runs the custom server, scripts and benchmarks, and Playwright follow that
 * mapping; vitest.config.ts aliases it the same way). Those processes are servers, so the marker
 * has nothing to guard there. Inside Next the name keeps its meaning: a client component that
 * reaches a module importing it fails the build.
 */
export {};
