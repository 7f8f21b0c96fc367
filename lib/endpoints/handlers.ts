/** Endpoint operations as app-scoped handlers, served by the backend and the frontend API alike. */
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
  rotateEndpointSecretRequest,
  testEndpointRequest,
  updateEndpointRequest,
  type EndpointSecretResponse,
  type RotateSecretResponse,
} from "@/lib/endpoints/schemas";
import {
  serializeEndpoints,
  serializeEndpointWithSigning,
} from "@/lib/endpoints/serialize-signing";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";

type ById = { id: string };

export const listEndpointsHandler: AppScopedHandler = async ({ app, url }) => {
  const page = await listEndpoints(app, parseQuery(url, listEndpointsQuery));
  return { ...toListPage(page, () => null), data: await serializeEndpoints(page.data, app) };
};

export const createEndpointHandler: AppScopedHandler = async ({ app, body, actor }) => {
  const { endpoint, secret } = await createEndpoint(app, await body(createEndpointRequest), actor);
  return json({ ...(await serializeEndpointWithSigning(endpoint, app)), secret }, { status: 201 });
};

export const getEndpointHandler: AppScopedHandler<ById> = async ({ app, params }) =>
  serializeEndpointWithSigning(await getEndpoint(app, params.id), app);

export const updateEndpointHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) =>
  serializeEndpointWithSigning(
    await updateEndpoint(app, params.id, await body(updateEndpointRequest), actor),
    app,
  );

export const deleteEndpointHandler: AppScopedHandler<ById> = async ({ app, params, actor }) => {
  await deleteEndpoint(app, params.id, actor);
  return new Response(null, { status: 204 });
};

export const testEndpointHandler: AppScopedHandler<ById> = async ({ app, params, body, actor }) =>
  testEndpoint(app, params.id, await body(testEndpointRequest), actor);

export const revealEndpointSecretHandler: AppScopedHandler<ById> = async ({ app, params, actor }) =>
  ({ secret: await revealEndpointSecret(app, params.id, actor) }) satisfies EndpointSecretResponse;

export const rotateEndpointSecretHandler: AppScopedHandler<ById> = async ({
  app,
  params,
  body,
  actor,
}) => {
  const rotated = await rotateEndpointSecret(
    app,
    params.id,
    await body(rotateEndpointSecretRequest),
    actor,
  );
  return {
    secret: rotated.secret,
    previous_secret_expires_at: rotated.previousExpiresAt?.toISOString() ?? null,
    public_key: rotated.publicKey,
  } satisfies RotateSecretResponse;
};

export const reactivateEndpointHandler: AppScopedHandler<ById> = async ({
  app,
  params,
  body,
  actor,
}) => {
  await body(reactivateEndpointRequest);
  return serializeEndpointWithSigning(await reactivateEndpoint(app.id, params.id, actor), app);
};
