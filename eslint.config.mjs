// ESLint flat config; run by `npm run lint` and the lint tier of `npm test`.
//
// typescript-eslint's `strict` preset is used without type information: the type-aware presets
// build a full TypeScript program per run, which takes minutes on the 2-core machines this project
// runs on, and `tsc --noEmit` (the typecheck tier) already covers what types can prove.
// Import boundaries are checked by dependency-cruiser (.dependency-cruiser.cjs), not here.
import js from "@eslint/js";
import comments from "@eslint-community/eslint-plugin-eslint-comments/configs";
import next from "@next/eslint-plugin-next";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Code that renders in React: hooks, accessibility and Next rules apply here only. */
const REACT_FILES = ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/client/**/*.{ts,tsx}"];

export default defineConfig(
  {
    ignores: ["lib/server/generated/**", ".next/**", ".data/**", "packages/*/dist/**", "bench/results/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    languageOptions: { globals: { ...globals.node } },
  },
  js.configs.recommended,
  tseslint.configs.strict,
  comments.recommended,
  {
    rules: {
      // A disable comment says why: `// eslint-disable-next-line rule -- reason`.
      "@eslint-community/eslint-comments/require-description": ["error", { ignore: [] }],
      "@eslint-community/eslint-comments/disable-enable-pair": ["error", { allowWholeFile: true }],
      // `_`-prefixed names mark parameters kept for a signature and deliberately unused bindings.
      // A closure may refer to a binding that is assigned once, after the closure is made.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // In tests and benchmarks `found!` after a lookup is the assertion: a missing value throws and
    // fails the run, which is what a check would do, with less noise.
    files: ["**/*.test.ts", "tests/**", "e2e/**", "bench/**", "lib/**/fixtures.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: REACT_FILES,
    languageOptions: { globals: { ...globals.browser } },
    ...reactHooks.configs.flat.recommended,
  },
  { files: REACT_FILES, ...jsxA11y.flatConfigs.recommended },
  // Checkbox labels put their text two spans deep (label > span > span).
  { files: REACT_FILES, rules: { "jsx-a11y/label-has-associated-control": ["error", { depth: 3 }] } },
  { files: REACT_FILES, ...next.configs.recommended },
  { files: REACT_FILES, ...next.configs["core-web-vitals"] },
  // Last: turns off every stylistic rule that Prettier owns.
  prettier,
);
