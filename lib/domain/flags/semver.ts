/**
 * Minimal Semantic Versioning 2.0.0 parsing and precedence, by hand so SDKs can mirror it.
 * Strict: `1.2.3`, `1.2.3-beta.1`, `1.2.3+build.5` are valid; `v1.2.3`, `1.2`, `01.2.3` are not.
 */

export type SemVer = {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; empty for a release. Build metadata is dropped. */
  prerelease: string[];
};

const NUMERIC = "0|[1-9]\\d*";
const PRERELEASE_ID = `(?:${NUMERIC}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const SEMVER_PATTERN = new RegExp(`^(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})` + `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` + `(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`);
const NUMERIC_ID = /^\d+$/;

/** @returns the parsed version, or null when `input` is not a strict SemVer 2.0.0 string (or a part exceeds 2^53). */
export function parseSemver(input: string): SemVer | null {
  const m = SEMVER_PATTERN.exec(input);
  if (!m) return null;
  // Three plain conversions: this runs for every semver condition of every evaluation.
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || !Number.isSafeInteger(patch)) return null;
  return { major, minor, patch, prerelease: m[4] ? m[4].split(".") : [] };
}

const sign = (d: number): -1 | 0 | 1 => (d < 0 ? -1 : d > 0 ? 1 : 0);

/** SemVer §11: numeric identifiers compare numerically and sort below alphanumeric ones, which compare in ASCII order. */
function compareIdentifiers(a: string, b: string): -1 | 0 | 1 {
  const aNum = NUMERIC_ID.test(a);
  const bNum = NUMERIC_ID.test(b);
  if (aNum && bNum) return sign(Number(a) - Number(b));
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Precedence of two versions: -1 if a < b, 0 if equal (build metadata ignored), 1 if a > b. A prerelease is lower than its release. */
export function compareSemver(a: SemVer, b: SemVer): -1 | 0 | 1 {
  const core = sign(a.major - b.major) || sign(a.minor - b.minor) || sign(a.patch - b.patch);
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return sign(b.prerelease.length - a.prerelease.length);
  }
  const shared = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < shared; i++) {
    const c = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (c !== 0) return c;
  }
  return sign(a.prerelease.length - b.prerelease.length);
}
