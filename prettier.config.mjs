// Prettier: `npm run format` writes, `npm run lint` checks. printWidth 200 is, of the widths tried
// (120–200), the one that rewrote the fewest lines of the existing tree; the rest are Prettier's
// defaults (double quotes, semicolons, trailing commas), which the tree already follows.
/** @type {import("prettier").Config} */
export default { printWidth: 200 };
