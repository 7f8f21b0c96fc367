import { describe, expect, it } from "vitest";
import { checkUrlShape, isForbiddenAddress } from "@/lib/net/address-policy";

describe("isForbiddenAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["169.254.169.254", "metadata"],
    ["169.254.1.1", "link-local"],
    ["192.0.0.8", "reserved"],
    ["198.18.0.1", "reserved"],
    ["198.19.255.255", "reserved"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["::ffff:127.0.0.1", "ipv4-mapped loopback"],
    ["::ffff:7f00:1", "ipv4-mapped loopback"],
    ["0:0:0:0:0:ffff:a01:203", "ipv4-mapped private"],
    ["::ffff:169.254.169.254", "ipv4-mapped metadata"],
    ["fd00::1", "private"],
    ["fc00::1", "private"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["64:ff9b::10.0.0.1", "nat64 private"],
    ["64:ff9b::7f00:1", "nat64 loopback"],
    ["2002:7f00:1::1", "6to4 loopback"],
    ["fd00:ec2::254", "metadata"],
    ["2001:db8::1", "reserved"],
    ["::127.0.0.1", "ipv4-compatible loopback"],
    ["not-an-ip", "invalid address"],
    ["", "invalid address"],
  ])("%s -> %s", (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700::1",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
  ])("%s is allowed", (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull();
  });
});

describe("checkUrlShape", () => {
  const refused = (url: string, allowPrivate = false) => {
    const result = checkUrlShape(url, { allowPrivate });
    return result.ok ? null : result.reason;
  };

  it("accepts a public https URL offline", () => {
    const result = checkUrlShape("https://customer.example.com/hooks", { allowPrivate: false });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.url.hostname).toBe("customer.example.com");
  });

  it("refuses credentials, other schemes, junk and overlong URLs", () => {
    expect(refused("https://user:pw@customer.example.com/hooks")).toMatch(/credentials/);
    expect(refused("https://user@customer.example.com/hooks")).toMatch(/credentials/);
    expect(refused("ftp://customer.example.com/hooks")).toMatch(/scheme.*ftp/);
    expect(refused("javascript:alert(1)", true)).toMatch(/scheme/);
    expect(refused("not a url")).toMatch(/spaces or control/);
    expect(refused("not-a-url")).toMatch(/not valid/);
    expect(refused(`https://customer.example.com/${"a".repeat(2048)}`)).toMatch(/longer than 2048/);
    expect(refused(`https://customer.example.com/${"a".repeat(2000)}`)).toBeNull();
  });

  it("requires https unless private delivery is allowed", () => {
    expect(refused("http://customer.example.com/hooks")).toMatch(/https/);
    // The refusal names the operator's switch, so a first local receiver is not a dead end.
    expect(refused("http://customer.example.com/hooks")).toMatch(/HOOKLINE_ALLOW_PRIVATE_TARGETS/);
    expect(refused("https://localhost/hooks")).toMatch(/HOOKLINE_ALLOW_PRIVATE_TARGETS/);
    expect(refused("https://127.0.0.1/hooks")).toMatch(/HOOKLINE_ALLOW_PRIVATE_TARGETS/);
    expect(refused("http://customer.example.com/hooks", true)).toBeNull();
  });

  it("refuses IP literals in forbidden ranges, naming the reason", () => {
    expect(refused("https://127.0.0.1/hooks")).toMatch(/loopback/);
    expect(refused("https://10.0.0.5:8443/hooks")).toMatch(/private/);
    expect(refused("https://169.254.169.254/latest/meta-data")).toMatch(/metadata/);
    expect(refused("https://[::1]/hooks")).toMatch(/loopback/);
    expect(refused("https://[::ffff:127.0.0.1]/hooks")).toMatch(/ipv4-mapped loopback/);
    expect(refused("https://2130706433/hooks")).toMatch(/loopback/); // WHATWG normalises to 127.0.0.1
    expect(refused("https://0x7f.1/hooks")).toMatch(/loopback/);
    expect(refused("https://localhost/hooks")).toMatch(/loopback/);
    expect(refused("https://api.localhost./hooks")).toMatch(/loopback/);
    expect(refused("https://8.8.8.8/hooks")).toBeNull();
    expect(refused("https://[2606:4700::1]/hooks")).toBeNull();
  });

  it("allows private literals and plain http when allowPrivate is set", () => {
    expect(refused("http://127.0.0.1:4000/hooks", true)).toBeNull();
    expect(refused("http://localhost:4000/hooks", true)).toBeNull();
    expect(refused("https://[fd00::1]/hooks", true)).toBeNull();
  });
});
