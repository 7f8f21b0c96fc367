import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";
import { revokeAppPortalSessions } from "@/lib/sessions/revocation";

export const dynamic = "force-dynamic";

/** Ends every portal session of the app (e.g. when a customer is offboarded). */
export const DELETE = withApiKey<{ slug: string }>(async ({ params, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return revokeAppPortalSessions(app, actor);
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, POST, PUT, PATCH } = methodsNotAllowed("DELETE");
