import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { listWebhookDeliveries } from "@/lib/compat/list-webhook-deliveries";
import { listWebhookDeliveriesQuery } from "@/lib/compat/schemas";
import { successPage, webhookDelivery } from "@/lib/compat/serialize";
import { parseQuery } from "@/lib/http/parse";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ slug: string; id: string }>(async ({ params, url }) => {
  const query = parseQuery(url, listWebhookDeliveriesQuery);
  const app = await getAppBySlugOrId(params.slug);
  return successPage(await listWebhookDeliveries(app, params.id, query), webhookDelivery);
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
