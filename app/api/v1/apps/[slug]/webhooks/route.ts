import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { createWebhookRequest, listWebhooksQuery } from "@/lib/compat/schemas";
import { success, successPage, webhookCreated, webhookListed } from "@/lib/compat/serialize";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { parseQuery } from "@/lib/http/parse";
import { json, methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 004 surface; `{slug}` is the app's id or slug (seed 004 calls it appId). */
type Params = { slug: string };

export const GET = withApiKey<Params>(async ({ params, url }) => {
  const query = parseQuery(url, listWebhooksQuery);
  const app = await getAppBySlugOrId(params.slug);
  return successPage(await listEndpoints(app, query), webhookListed);
});

export const POST = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  const { endpoint, secret } = await createEndpoint(app, await body(createWebhookRequest), actor);
  return json(success(webhookCreated(endpoint, secret)), { status: 201 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
