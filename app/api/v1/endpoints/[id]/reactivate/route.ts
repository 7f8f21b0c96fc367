import { getEndpointById } from "@/lib/endpoints/get-endpoint";
import { reactivateEndpoint } from "@/lib/endpoints/reactivate-endpoint";
import { reactivateEndpointRequest } from "@/lib/endpoints/schemas";
import { serializeEndpointWithSigning } from "@/lib/endpoints/serialize-signing";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 002 `reactivateWebhookEndpoint(endpointId)`: the one route that names no app. */
export const POST = withApiKey<{ id: string }>(async ({ params, body, actor }) => {
  await body(reactivateEndpointRequest);
  const endpoint = await getEndpointById(params.id);
  return serializeEndpointWithSigning(await reactivateEndpoint(endpoint.appId, endpoint.id, actor));
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
