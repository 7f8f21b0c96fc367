/** Endpoint operations as app-scoped handlers, served by the backend and the frontend API alike. */
import { findFifoBlockers } from "@/lib/delivery/fifo-order";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { reactivateEndpoint } from "@/lib/endpoints/reactivate-endpoint";
import { revealEndpointSecret } from "@/lib/endpoints/reveal-endpoint-secret";
import { rotateEndpointSecret } from "@/lib/endpoints/rotate-endpoint-secret";
import {
  createEndpointRequest,
  listEndpointsQuery,
  reactivateEndpointRequest,
  rotateSecretRequest,
  testEndpointRequest,
  updateEndpointRequest,
  type EndpointSecretResponse,
  type RotateSecretResponse,
} from "@/lib/endpoints/schemas";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";

type ById = { id: string };

export const listEndpointsHandler: AppScopedHandler = async ({ app, url }) => {
  const page = await listEndpoints(app, parseQuery(url, listEndpointsQuery));
  const blockers = await findFifoBlockers(page.data.filter((e) => e.ordering === "fifo").map((e) => e.id));
  return toListPage(page, (e) => serializeEndpoint(e, blockers.get(e.id)));
};

export const createEndpointHandler: AppScopedHandler = async ({ app, body, actor }) => {
  const { endpoint, secret } = await createEndpoint(app, await body(createEndpointRequest), actor);
  return json({ ...serializeEndpoint(endpoint), secret }, { status: 201 });
};

export const getEndpointHandler: AppScopedHandler<ById> = async ({ app, params }) => {
  const endpoint = await getEndpoint(app, params.id);
  const blockers = endpoint.ordering === "fifo" ? await findFifoBlockers([endpoint.id]) : undefined;
  return serializeEndpoint(endpoint, blockers?.get(endpoint.id));
};

export const updateEndpointHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) =>
  serializeEndpoint(await updateEndpoint(app, params.id, await body(updateEndpointRequest), actor));

export const deleteEndpointHandler: AppScopedHandler<ById> = async ({ app, params, actor }) => {
  await deleteEndpoint(app, params.id, actor);
  return new Response(null, { status: 204 });
};

export const testEndpointHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) =>
  testEndpoint(app, params.id, await body(testEndpointRequest), actor);

export const revealEndpointSecretHandler: AppScopedHandler<ById> = async ({ app, params, actor }) =>
  ({ secret: await revealEndpointSecret(app, params.id, actor) }) satisfies EndpointSecretResponse;

export const rotateEndpointSecretHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) => {
  const rotated = await rotateEndpointSecret(app, params.id, await body(rotateSecretRequest), actor);
  return {
    secret: rotated.secret,
    previous_secret_expires_at: rotated.previousExpiresAt?.toISOString() ?? null,
  } satisfies RotateSecretResponse;
};

export const reactivateEndpointHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) => {
  await body(reactivateEndpointRequest);
  return serializeEndpoint(await reactivateEndpoint(app.id, params.id, actor));
};
