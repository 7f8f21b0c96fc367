/** Delivery log operations as app-scoped handlers, served by the backend and the frontend API alike. */
import { getDelivery } from "@/lib/delivery-log/get-delivery";
import { listDeliveries } from "@/lib/delivery-log/list-deliveries";
import { listDeliveriesQuery } from "@/lib/delivery-log/schemas";
import { serializeDelivery } from "@/lib/delivery-log/serialize";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";
import { replayDelivery } from "@/lib/replays/replay-delivery";
import { replayDeliveryRequest } from "@/lib/replays/schemas";

type ById = { id: string };

/** The delivery log, newest first (seed 002/003 `listWebhookDeliveries`). */
export const listDeliveriesHandler: AppScopedHandler = async ({ app, url }) =>
  toListPage(await listDeliveries(app, parseQuery(url, listDeliveriesQuery)), serializeDelivery);

/** One delivery with its payload, endpoint and every attempt (`getWebhookDelivery`). */
export const getDeliveryHandler: AppScopedHandler<ById> = async ({ app, params }) =>
  getDelivery(app, params.id);

/** Resend one delivery now, same webhook-id (`replayWebhookDelivery`). */
export const replayDeliveryHandler: AppScopedHandler<ById> = async ({
  app,
  params,
  body,
  actor,
}) => {
  await body(replayDeliveryRequest);
  return json(await replayDelivery(app, params.id, actor), { status: 202 });
};
