import { expect, test } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "./password";

test("scrypt hashes verify the right password only, with a fresh salt each time", async () => {
  const h1 = await hashPassword("correct horse battery staple");
  const h2 = await hashPassword("correct horse battery staple");
  expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(h1).not.toBe(h2);
  expect(await verifyPassword("correct horse battery staple", h1)).toBe(true);
  expect(await verifyPassword("correct horse battery stapler", h1)).toBe(false);
  expect(await verifyPassword("x", "garbage")).toBe(false);
  expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
});
