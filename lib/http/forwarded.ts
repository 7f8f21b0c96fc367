/**
 * Proxy headers (`X-Forwarded-*`, `Forwarded`, `X-Real-IP`) are believed only with
 * HOOKLINE_TRUST_PROXY on. Our node:http server calls `sanitizeForwardedHeaders` first on every
 * request: without trust it removes them (Next then fills `X-Forwarded-*` from the connection
 * itself), and either way it records the socket's address in `x-hookline-peer`, which no
 * client can set. Rate limits and the origin check read them through the functions below.
 */
import { getConfig } from "@/lib/config";
import { PEER_HEADER } from "@/lib/http/node-bridge";

// The server side (stateless, so the production server's own bundle may hold it) is in node-bridge.ts.
export { PEER_HEADER, sanitizeForwardedHeaders } from "@/lib/http/node-bridge";

/**
 * The client's address: with a trusted proxy, the last `X-Forwarded-For` hop (the address the
 * proxy saw; earlier hops are whatever the client wrote); otherwise the socket's address.
 */
export function clientAddress(req: Request, trustProxy = getConfig().trustProxy): string {
  const peer = req.headers.get(PEER_HEADER) || "unknown";
  if (!trustProxy) return peer;
  const hops = (req.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return hops[hops.length - 1] ?? peer;
}

/** The request's own origin; forwarded host and scheme count only behind a trusted proxy. */
export function requestOrigin(req: Request, trustProxy = getConfig().trustProxy): string {
  const url = new URL(req.url);
  const proto =
    (trustProxy && req.headers.get("x-forwarded-proto")) || url.protocol.replace(":", "");
  const host =
    (trustProxy && req.headers.get("x-forwarded-host")) || req.headers.get("host") || url.host;
  return `${proto}://${host}`;
}

/** Whether the client reached us over https (directly, or at a trusted proxy). */
export function isHttpsRequest(req: Request, trustProxy = getConfig().trustProxy): boolean {
  return requestOrigin(req, trustProxy).startsWith("https://");
}
