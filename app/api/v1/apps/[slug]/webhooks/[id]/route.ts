import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { updateWebhookRequest } from "@/lib/compat/schemas";
import { success, webhookUpdated } from "@/lib/compat/serialize";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { slug: string; id: string };

export const PUT = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return success(
    webhookUpdated(await updateEndpoint(app, params.id, await body(updateWebhookRequest), actor)),
  );
});

export const DELETE = withApiKey<Params>(async ({ params, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  await deleteEndpoint(app, params.id, actor);
  return new Response(null, { status: 204 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, POST, PATCH } = methodsNotAllowed("PUT", "DELETE");
