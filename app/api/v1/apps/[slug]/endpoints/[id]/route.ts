import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { updateEndpointRequest } from "@/lib/endpoints/schemas";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import { withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { slug: string; id: string };

export const GET = withApiKey<Params>(async ({ params }) => {
  const app = await getAppBySlugOrId(params.slug);
  return serializeEndpoint(await getEndpoint(app, params.id));
});

export const PATCH = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return serializeEndpoint(await updateEndpoint(app, params.id, await body(updateEndpointRequest), actor));
});

export const DELETE = withApiKey<Params>(async ({ params, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  await deleteEndpoint(app, params.id, actor);
  return new Response(null, { status: 204 });
});
