import type { App } from "@/generated/prisma/client";
import { sendTestEvent } from "@/lib/delivery/send-test-event";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import {
  DEFAULT_TEST_EVENT,
  type TestEndpointRequest,
  type TestEndpointResponse,
} from "@/lib/endpoints/schemas";

/**
 * Sends one signed test delivery to the endpoint now, whatever its subscriptions, and reports
 * how the receiver answered. The engine records it as a delivery with a `test` attempt.
 */
export async function testEndpoint(
  app: App,
  id: string,
  input: TestEndpointRequest,
  actor: string,
): Promise<TestEndpointResponse> {
  const endpoint = await getEndpoint(app, id);
  const eventName = input.event_name ?? DEFAULT_TEST_EVENT;
  const payload = input.payload ?? {
    type: eventName,
    message: "Test event from Hookline",
    sent_at: new Date().toISOString(),
  };
  return sendTestEvent({ app, endpoint, eventName, payload, actor });
}
