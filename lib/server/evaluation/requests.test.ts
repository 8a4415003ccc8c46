import { describe, expect, test } from "vitest";
import { isDomainError } from "../../domain/errors";
import { acceptEvaluateBody, evaluateBodySchema, ofrepContextOf, parseEvaluateBody } from "./requests";
import { parseConfigNotification } from "./config-listener";

describe("native body", () => {
  test("accepts a context and an optional flag list", () => {
    expect(parseEvaluateBody({ context: { userId: "u1" }, flags: ["a"] })).toEqual({ context: { userId: "u1" }, flags: ["a"] });
  });

  test.each([
    [{}, "context"],
    [{ context: [] }, "context"],
    [{ context: {}, flags: "a" }, "flags"],
    [{ context: {}, flags: [""] }, "flags.0"],
    [{ context: {}, extra: 1 }, ""],
  ])("refuses %j naming the field %s", (body, path) => {
    try {
      parseEvaluateBody(body);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe("invalid_input");
      const errors = (error as { details: { errors: { path: string }[] } }).details.errors;
      expect(errors.map((e) => e.path)).toContain(path);
    }
  });
});

describe("OFREP context", () => {
  test.each<[unknown, boolean]>([
    [undefined, true],
    [{}, true],
    [{ context: { targetingKey: "u1", tier: "pro" } }, true],
    [[], false],
    [{ context: "u1" }, false],
    [{ context: null }, false],
    [{ context: { targetingKey: 42 } }, false],
  ])("%j valid: %s", (body, ok) => {
    expect(ofrepContextOf(body).ok).toBe(ok);
  });
});

describe("NOTIFY payload", () => {
  test.each<[string | undefined, ReturnType<typeof parseConfigNotification>]>([
    ['{"environmentId":"e1","version":12}', { environmentId: "e1", version: "12" }],
    ['{"environmentId":"e1","version":"12"}', { environmentId: "e1", version: "12" }],
    ['{"version":12}', null],
    ["not json", null],
    [undefined, null],
  ])("%s → %j", (payload, parsed) => {
    expect(parseConfigNotification(payload)).toEqual(parsed);
  });
});

describe("fast acceptance agrees with the zod schema", () => {
  test.each<[unknown]>([
    [{ context: { a: 1 } }],
    [{ context: {}, flags: ["a", "b"] }],
    [{ context: {}, flags: [] }],
    [{ context: [] }],
    [{ context: null }],
    [{ context: {}, flags: [1] }],
    [{ context: {}, flags: [""] }],
    [{ context: {}, flags: Array.from({ length: 1001 }, () => "f") }],
    [{ context: {}, other: true }],
    [[]],
    ["text"],
    [null],
  ])("%j", (value) => {
    const fast = acceptEvaluateBody(value);
    const zod = evaluateBodySchema.safeParse(value);
    if (fast) expect(zod.success && zod.data).toEqual(fast);
    else expect(zod.success).toBe(false);
  });
});
