import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { reactivateEndpoint } from "@/lib/endpoints/reactivate-endpoint";
import { reactivateEndpointRequest } from "@/lib/endpoints/schemas";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ slug: string; id: string }>(async ({ params, body, actor }) => {
  await body(reactivateEndpointRequest);
  const app = await getAppBySlugOrId(params.slug);
  return serializeEndpoint(await reactivateEndpoint(app.id, params.id, actor));
});
