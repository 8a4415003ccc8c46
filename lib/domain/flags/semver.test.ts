import { describe, expect, test } from "vitest";
import { compareSemver, parseSemver } from "./semver";

describe("parseSemver", () => {
  test.each(["1.2.3", "0.0.0", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x-y.7z", "1.0.0+build.1", "1.0.0-rc.1+sha.5114f85"])("accepts %s", (v) =>
    expect(parseSemver(v)).not.toBeNull(),
  );

  test.each(["", "1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "1.2.3+", " 1.2.3", "1.2.3.4", "99999999999999999.0.0"])("rejects %j", (v) =>
    expect(parseSemver(v)).toBeNull(),
  );

  test("keeps prerelease identifiers and drops build metadata", () => {
    expect(parseSemver("2.0.0-rc.1+exp.sha")).toEqual({ major: 2, minor: 0, patch: 0, prerelease: ["rc", "1"] });
  });
});

describe("compareSemver", () => {
  // The precedence chain from SemVer 2.0.0 §11, plus numeric (not lexical) core comparison.
  const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0"];

  test.each(ordered.slice(0, -1).map((v, i) => [v, ordered[i + 1]]))("%s < %s", (lower, higher) => {
    const a = parseSemver(lower)!;
    const b = parseSemver(higher)!;
    expect(compareSemver(a, b)).toBe(-1);
    expect(compareSemver(b, a)).toBe(1);
  });

  test("build metadata does not affect precedence", () => {
    expect(compareSemver(parseSemver("1.0.0+a")!, parseSemver("1.0.0+b")!)).toBe(0);
  });
});
