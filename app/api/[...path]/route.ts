import { apiErrors } from "@/lib/http/errors";
import { withPublic } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Any /api path without a route of its own: the JSON 404 of the error envelope. */
const notFound = withPublic(async ({ req, url }) => {
  throw apiErrors.routeNotFound(req.method, url.pathname);
});

export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
};
