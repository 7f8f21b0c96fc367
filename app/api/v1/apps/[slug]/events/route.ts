import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { triggerEventRequest } from "@/lib/events/schemas";
import { producerPayloadText } from "@/lib/events/payload-text";
import { parseIdempotencyKey, triggerDeadline, triggerEvent } from "@/lib/events/trigger-event";
import { json, methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { slug: string };

/**
 * Trigger an event (seed 002 `triggerWebhook`): 202 once the event and its deliveries are
 * committed; within the time limit, else 503 with nothing committed.
 */
export const POST = withApiKey<Params>(
  async ({ params, body, bodyText, req, receivedAt }) => {
    const app = await getAppBySlugOrId(params.slug);
    const idempotencyKey = parseIdempotencyKey(req.headers.get("idempotency-key"));
    const input = await body(triggerEventRequest);
    const payloadText = producerPayloadText(bodyText());
    const result = await triggerEvent(app, input, idempotencyKey, receivedAt, payloadText);
    return json(result, { status: 202 });
  },
  { answerBy: (receivedAt) => triggerDeadline(receivedAt).answerBy },
);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
