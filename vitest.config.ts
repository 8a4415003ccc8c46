import { defineConfig } from "vitest/config";
import path from "node:path";

// `server-only` as tsconfig.json maps it: the marker guards Next's client bundles, not tests.
const alias = [
  { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, "lib/server/runtime/server-only.ts") },
  { find: "@", replacement: path.resolve(import.meta.dirname) },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup-env.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Property-based requests against the built app (tests/fuzz/global-setup.ts).
        resolve: { alias },
        test: {
          name: "fuzz",
          include: ["tests/fuzz/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/fuzz/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
