import { deliveryDetail, deliverySummary, listDeliveriesQuery } from "@/lib/delivery-log/schemas";
import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";
import { listPage } from "@/lib/openapi/shared-schemas";
import { replayDeliveryRequest, replayDeliveryResponse } from "@/lib/replays/schemas";
import { skipDeliveryRequest, skipDeliveryResponse } from "@/lib/delivery-log/skip-schemas";

const p = {
  slug: commonPathParams.slug,
  id: "The delivery id (`dlv_...`), also its `webhook-id`.",
};
const tag = "Deliveries";

/** The delivery log routes for the OpenAPI document (collected in lib/openapi/routes.ts). */
export const deliveryRoutes = defineRoutes([
  {
    method: "get",
    path: "/apps/{slug}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "List deliveries (the delivery log)",
    description:
      "Newest first by (created_at, id). `next_cursor` pages by keyset and stays stable while new deliveries arrive; " +
      "it only works with the same filters (400 otherwise). `offset` skips rows after the cursor; pin `end_date` to keep " +
      "offset pages stable. Dates are RFC 3339; an `end_date` before `start_date`, an unknown status or parameter: 400 naming it. " +
      "An `endpoint_id` that is not one of the app's endpoints: 404.",
    tag,
    pathParams: { slug: commonPathParams.slug },
    query: listDeliveriesQuery,
    responses: { 200: { description: "A page of deliveries", schema: listPage(deliverySummary) } },
    errors: [404],
  },
  {
    method: "get",
    path: "/apps/{slug}/deliveries/{id}",
    operationId: "getWebhookDelivery",
    summary: "Get a delivery with its payload and every attempt",
    description:
      "Attempts are oldest first (the most recent 500 when there are more), with request headers as sent but signatures " +
      "masked (`v1,***`), the response status, headers and body (first 64 KiB), duration, error and trigger " +
      "(`auto|manual|replay|test`). After the retention period the payload and response bodies are gone: " +
      "`payload_expired: true`, `response_body_expired: true`.",
    tag,
    pathParams: p,
    responses: { 200: { description: "The delivery", schema: deliveryDetail } },
    errors: [404],
  },
  {
    method: "post",
    path: "/apps/{slug}/deliveries/{id}/replay",
    operationId: "replayWebhookDelivery",
    summary: "Resend one delivery now",
    description:
      "Any status: a final delivery becomes `pending` again, a waiting one is brought forward. The new attempt carries the " +
      "same `webhook-id` and is recorded with trigger `manual`; the job driver sends it. 409 while an attempt is in flight, " +
      "when the endpoint is disabled or deleted, or when the payload expired. Audited.",
    tag,
    pathParams: p,
    body: replayDeliveryRequest,
    responses: { 202: { description: "Scheduled", schema: replayDeliveryResponse } },
    errors: [404, 409],
  },
  {
    method: "post",
    path: "/apps/{slug}/deliveries/{id}/skip",
    operationId: "skipWebhookDelivery",
    summary: "Skip a waiting delivery of a FIFO endpoint",
    description:
      'For endpoints with `ordering: "fifo"`: the delivery becomes `cancelled` (last error "Skipped by hand") without ' +
      "an attempt, and the next delivery in the endpoint's line may be attempted. 409 (`details.reason`) when the delivery " +
      "is final (`final`), its endpoint delivers concurrently (`not_fifo`) or an attempt is in flight (`in_flight`). Audited.",
    tag,
    pathParams: p,
    body: skipDeliveryRequest,
    responses: { 200: { description: "Skipped", schema: skipDeliveryResponse } },
    errors: [404, 409],
  },
]);
