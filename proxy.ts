/**
 * Next.js proxy (the former middleware; Node.js runtime in Next 16), for the hosted portal only:
 * each portal response says who may frame it (`frame-ancestors` from the app's embed origins,
 * see lib/portal/frame-policy.ts), and responses whose URL carries an access ticket are not
 * cached.
 */
import { NextResponse, type NextRequest } from "next/server";
import { frameAncestorsFor, frameAncestorsHeader, PORTAL_HEADERS } from "@/lib/portal/frame-policy";

export async function proxy(request: NextRequest) {
  const response = NextResponse.next();
  response.headers.set(
    "content-security-policy",
    frameAncestorsHeader(await frameAncestorsFor(request)),
  );
  for (const [name, value] of Object.entries(PORTAL_HEADERS)) response.headers.set(name, value);
  if (request.nextUrl.searchParams.has("ticket"))
    response.headers.set("cache-control", "private, no-store");
  return response;
}

export const config = {
  matcher: ["/portal", "/portal/:path*"],
};
