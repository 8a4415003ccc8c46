import { expect, test } from "vitest";
import { clientAddress, parseTrustedProxies } from "./client-address";

test("without trusted proxies the socket address is the client, whatever X-Forwarded-For says", () => {
  const none = parseTrustedProxies("");
  expect(clientAddress("203.0.113.9", "10.0.0.1", none)).toBe("203.0.113.9");
  expect(clientAddress("::ffff:127.0.0.1", undefined, none)).toBe("127.0.0.1");
});

test("behind trusted proxies the first untrusted hop from the right is the client", () => {
  const proxies = parseTrustedProxies("127.0.0.1, 10.0.0.0/8, ::1");
  expect(clientAddress("::ffff:127.0.0.1", "198.51.100.7", proxies)).toBe("198.51.100.7");
  // The client prepended a fake address; only what the proxies appended counts.
  expect(clientAddress("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3", proxies)).toBe("198.51.100.7");
  expect(clientAddress("::1", ["10.0.0.5", "10.0.0.6"], proxies)).toBe("10.0.0.5");
  expect(clientAddress("127.0.0.1", "not-an-ip", proxies)).toBe("127.0.0.1");
  // A peer that is not a trusted proxy cannot forward.
  expect(clientAddress("203.0.113.9", "198.51.100.7", proxies)).toBe("203.0.113.9");
});

test("bad entries are refused at start-up", () => {
  expect(() => parseTrustedProxies("example.com")).toThrow(/not an IP/);
  expect(() => parseTrustedProxies("10.0.0.0/99")).toThrow(/prefix/);
});
