import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { testEndpointRequest } from "@/lib/endpoints/schemas";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 002 `testWebhookEndpoint`: one signed delivery now; the answer says how it went. */
export const POST = withApiKey<{ slug: string; id: string }>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return testEndpoint(app, params.id, await body(testEndpointRequest), actor);
});
