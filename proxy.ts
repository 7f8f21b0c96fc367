/**
 * Next.js proxy (the former middleware; Node.js runtime in Next 16), for the hosted portal only:
 * each portal response carries its Content-Security-Policy (a fresh script nonce, and
 * `frame-ancestors` from the app's embed origins, see lib/portal/frame-policy.ts), and responses
 * whose URL carries an access ticket are not cached.
 */
import { NextResponse, type NextRequest } from "next/server";
import {
  frameAncestorsFor,
  PORTAL_HEADERS,
  portalContentSecurityPolicy,
} from "@/lib/portal/frame-policy";

export async function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = portalContentSecurityPolicy({
    nonce,
    frameAncestors: await frameAncestorsFor(request),
    dev: process.env.NODE_ENV === "development",
  });
  // Next reads the nonce from the request's policy and puts it on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  for (const [name, value] of Object.entries(PORTAL_HEADERS)) response.headers.set(name, value);
  if (request.nextUrl.searchParams.has("ticket"))
    response.headers.set("cache-control", "private, no-store");
  return response;
}

export const config = {
  matcher: ["/portal", "/portal/:path*"],
};
