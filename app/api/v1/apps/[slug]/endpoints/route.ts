import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { createEndpointRequest, listEndpointsQuery } from "@/lib/endpoints/schemas";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { parseQuery } from "@/lib/http/parse";
import { json, withApiKey } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";

export const dynamic = "force-dynamic";

type Params = { slug: string };

export const GET = withApiKey<Params>(async ({ params, url }) => {
  const query = parseQuery(url, listEndpointsQuery);
  const app = await getAppBySlugOrId(params.slug);
  return toListPage(await listEndpoints(app, query), serializeEndpoint);
});

export const POST = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  const { endpoint, secret } = await createEndpoint(app, await body(createEndpointRequest), actor);
  return json({ ...serializeEndpoint(endpoint), secret }, { status: 201 });
});
