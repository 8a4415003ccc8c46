export { murmur3_x86_32 } from "./murmur3";
export { BUCKETS, bucketFor, bucketInput } from "./bucket";
export { compareSemver, parseSemver, type SemVer } from "./semver";
export { matchesCondition, matchesRule } from "./conditions";
export { randomBucket, resolveBucket, stickinessValueOf, type StickyBucket } from "./stickiness";
export { evaluateFlag, evaluateFlags, pickSplitVariant } from "./evaluate";
export * from "./types";
