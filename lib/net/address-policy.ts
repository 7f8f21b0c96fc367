import { BlockList, isIP } from "node:net";

// SSRF policy: which IP addresses a webhook may never be delivered to (unless private delivery is
// explicitly allowed). First matching rule names the reason, so specific rules come first.

type Rule = { reason: string; list: BlockList };

function rules(family: "ipv4" | "ipv6", table: Array<[reason: string, cidrs: string[]]>): Rule[] {
  return table.map(([reason, cidrs]) => {
    const list = new BlockList();
    for (const cidr of cidrs) {
      const [network = "", prefix = ""] = cidr.split("/");
      list.addSubnet(network, Number(prefix), family);
    }
    return { reason, list };
  });
}

const IPV4_RULES = rules("ipv4", [
  // Cloud instance metadata endpoints (AWS/GCP/Azure/OpenStack, AWS ECS, Alibaba, Azure WireServer).
  [
    "metadata",
    ["169.254.169.254/32", "169.254.170.2/32", "100.100.100.200/32", "168.63.129.16/32"],
  ],
  ["broadcast", ["255.255.255.255/32"]],
  // 0.0.0.0/8 reaches the local host on Linux.
  ["unspecified", ["0.0.0.0/8"]],
  ["loopback", ["127.0.0.0/8"]],
  ["private", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]],
  ["cgnat", ["100.64.0.0/10"]],
  ["link-local", ["169.254.0.0/16"]],
  ["multicast", ["224.0.0.0/4"]],
  [
    "reserved",
    [
      "192.0.0.0/24", // IETF protocol assignments
      "192.0.2.0/24", // documentation
      "198.51.100.0/24", // documentation
      "203.0.113.0/24", // documentation
      "192.88.99.0/24", // deprecated 6to4 relay anycast
      "198.18.0.0/15", // benchmarking
      "240.0.0.0/4", // future use
    ],
  ],
]);

const IPV6_RULES = rules("ipv6", [
  ["unspecified", ["::/128"]],
  ["loopback", ["::1/128"]],
  ["metadata", ["fd00:ec2::254/128"]], // AWS metadata over IPv6
  ["private", ["fc00::/7"]], // unique local
  ["link-local", ["fe80::/10"]],
  ["multicast", ["ff00::/8"]],
  [
    "reserved",
    [
      "fec0::/10", // deprecated site-local
      "100::/64", // discard-only
      "2001::/23", // IETF protocol assignments, incl. Teredo and benchmarking
      "2001:db8::/32", // documentation
      "3fff::/20", // documentation
    ],
  ],
]);

// Everything routable on the IPv6 internet today is allocated from 2000::/3.
const IPV6_GLOBAL_UNICAST = rules("ipv6", [["global", ["2000::/3"]]])[0]!.list;

function firstMatch(ruleset: Rule[], address: string, family: "ipv4" | "ipv6"): string | null {
  for (const rule of ruleset) {
    if (rule.list.check(address, family)) return rule.reason;
  }
  return null;
}

/** Expands a valid IPv6 literal (already checked with isIP) into its 16 bytes. */
function ipv6Bytes(address: string): Uint8Array {
  let text = address;
  const groups: number[] = [];
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [headText = "", tailText] = text.split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const head = parse(headText);
  const tail = tailText === undefined ? [] : parse(tailText);
  groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

function ipv4At(bytes: Uint8Array, offset: number): string {
  return Array.from(bytes.subarray(offset, offset + 4)).join(".");
}

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, i) => bytes[i] === value);
}

const ZEROS_80 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function ipv6Reason(address: string): string | null {
  const bytes = ipv6Bytes(address);

  // Addresses that carry an IPv4 address: judge the IPv4 address inside.
  if (hasPrefix(bytes, [...ZEROS_80, 0xff, 0xff])) {
    const inner = ipv4Reason(ipv4At(bytes, 12));
    return inner && `ipv4-mapped ${inner}`;
  }
  if (hasPrefix(bytes, [0x00, 0x64, 0xff, 0x9b, ...ZEROS_80.slice(0, 8)])) {
    const inner = ipv4Reason(ipv4At(bytes, 12));
    return inner && `nat64 ${inner}`;
  }
  if (hasPrefix(bytes, [0x20, 0x02])) {
    const inner = ipv4Reason(ipv4At(bytes, 2));
    return inner && `6to4 ${inner}`;
  }

  const reason = firstMatch(IPV6_RULES, address, "ipv6");
  if (reason) return reason;

  // Deprecated IPv4-compatible form (::a.b.c.d): name the embedded address when it is telling.
  if (hasPrefix(bytes, [...ZEROS_80, 0, 0])) {
    const inner = ipv4Reason(ipv4At(bytes, 12));
    return inner ? `ipv4-compatible ${inner}` : "reserved";
  }
  if (!IPV6_GLOBAL_UNICAST.check(address, "ipv6")) return "reserved";
  return null;
}

function ipv4Reason(address: string): string | null {
  return firstMatch(IPV4_RULES, address, "ipv4");
}

/**
 * Why a webhook must not be delivered to `ip`, or null when it is a public address.
 * Anything that is not a valid IP literal is refused too (fail closed).
 */
export function isForbiddenAddress(ip: string): string | null {
  // Accept the bracketed form from URLs and drop an IPv6 zone id (fe80::1%eth0).
  const address = ip
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  switch (isIP(address)) {
    case 4:
      return ipv4Reason(address);
    case 6:
      return ipv6Reason(address.toLowerCase());
    default:
      return "invalid address";
  }
}

export const MAX_URL_LENGTH = 2048;

/** Said with every refusal that the operator's local-development switch would lift. */
const LOCAL_TARGETS_HINT =
  "for local development, start the server with HOOKLINE_ALLOW_PRIVATE_TARGETS=true";

export type UrlShapeResult = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Registration-time URL checks, without DNS (the connect-time check in the HTTP client is the
 * one that counts). `allowPrivate` permits plain http and private/loopback IP literals, for
 * self-hosted setups that deliver inside their own network.
 */
export function checkUrlShape(url: string, opts: { allowPrivate?: boolean } = {}): UrlShapeResult {
  const allowPrivate = opts.allowPrivate ?? false;
  if (url.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `URL is longer than ${MAX_URL_LENGTH} characters` };
  }
  // The URL parser would silently drop or rewrite these (tabs, line breaks, `\` read as `/`):
  // what is stored and shown must be what is delivered to.
  if (/[\u0000-\u0020\u007f]/.test(url))
    return { ok: false, reason: "URL must not contain spaces or control characters" };
  if (url.includes("\\")) return { ok: false, reason: "URL must not contain backslashes" };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "URL is not valid" };
  }
  if (parsed.port === "0") return { ok: false, reason: "URL port must be from 1 to 65535" };
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return {
      ok: false,
      reason: `URL scheme must be https (got ${parsed.protocol.replace(/:$/, "")})`,
    };
  }
  if (parsed.protocol === "http:" && !allowPrivate) {
    return { ok: false, reason: `URL must use https (${LOCAL_TARGETS_HINT})` };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { ok: false, reason: "URL must not contain credentials" };
  }
  const host = parsed.hostname;
  if (host === "") return { ok: false, reason: "URL has no host" };
  if (!allowPrivate) {
    const bareHost = host.replace(/^\[(.*)\]$/, "$1");
    if (isIP(bareHost) !== 0) {
      const reason = isForbiddenAddress(bareHost);
      if (reason) {
        return {
          ok: false,
          reason: `URL points to a forbidden address (${reason}; ${LOCAL_TARGETS_HINT})`,
        };
      }
    }
    // RFC 6761: localhost names always resolve to loopback, so refuse them without asking DNS.
    const name = host.replace(/\.$/, "").toLowerCase();
    if (name === "localhost" || name.endsWith(".localhost")) {
      return {
        ok: false,
        reason: `URL points to a forbidden address (loopback; ${LOCAL_TARGETS_HINT})`,
      };
    }
  }
  return { ok: true, url: parsed };
}
