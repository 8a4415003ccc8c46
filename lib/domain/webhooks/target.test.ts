import { describe, expect, test } from "vitest";
import { addressKind, addressRefusal, hostRefusal, parseIpv6 } from "./target";

describe("addressKind", () => {
  test.each([
    ["8.8.8.8", "public"],
    ["93.184.216.34", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.1.2", "loopback"],
    ["169.254.169.254", "link-local"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fe80::1", "link-local"],
    ["fd00::1", "private"],
    ["fc12:3456::1", "private"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["[::ffff:a9fe:a9fe]", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::a9fe:a9fe", "link-local"],
    ["2606:4700:4700::1111", "public"],
    ["2001:db8::1", "reserved"],
    ["example.com", null],
    ["1.2.3", null],
    ["1:2:3:4:5:6:7:8:9", null],
  ])("%s → %s", (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  test("IPv6 parsing expands :: and embedded IPv4", () => {
    expect(parseIpv6("1::2")).toEqual([1, 0, 0, 0, 0, 0, 0, 2]);
    expect(parseIpv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpv6("1::2::3")).toBeNull();
  });
});

describe("hostRefusal and addressRefusal", () => {
  test("URL hosts as new URL() normalises them", () => {
    const host = (u: string) => hostRefusal(new URL(u).hostname);
    expect(host("http://127.0.0.1:8080/hook")).toBe("127.0.0.1 is a loopback address");
    expect(host("http://2130706433/")).toBe("127.0.0.1 is a loopback address"); // decimal IPv4
    expect(host("http://0x7f.0.0.1/")).toBe("127.0.0.1 is a loopback address");
    expect(host("http://[::ffff:127.0.0.1]/")).toBe("::ffff:7f00:1 is a loopback address");
    expect(host("http://169.254.169.254/latest/meta-data")).toBe("169.254.169.254 is a link-local address");
    expect(host("http://[::]/")).toBe(":: is an unspecified address");
    expect(host("http://LOCALHOST./x")).toBe("localhost. is a loopback name");
    expect(host("http://api.localhost/x")).toBe("api.localhost is a loopback name");
    expect(host("https://hooks.slack.com/services/T0/B0/x")).toBeNull();
    expect(host("https://8.8.8.8/")).toBeNull();
  });

  test("resolved addresses", () => {
    expect(addressRefusal("10.0.0.7")).toBe("10.0.0.7 is a private address");
    expect(addressRefusal("224.1.1.1")).toBe("224.1.1.1 is a multicast address");
    expect(addressRefusal("1.1.1.1")).toBeNull();
  });
});
