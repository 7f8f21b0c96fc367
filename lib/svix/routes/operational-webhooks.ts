/**
 * Operational-webhook endpoints (`/operational-webhook/endpoint`): environment-wide receivers
 * of Hookline's operational events, through lib/operational-events/webhook-endpoints.ts.
 */
import {
  createOperationalEndpoint,
  deleteOperationalEndpoint,
  getOperationalEndpoint,
  getOperationalEndpointSecret,
  listOperationalEndpointsQuery,
  operationalEndpointIn,
  operationalEndpointUpsertIn,
  operationalSecretIn,
  rotateOperationalEndpointSecret,
  serializeOperationalEndpoint,
  updateOperationalEndpoint,
} from "@/lib/operational-events/webhook-endpoints";
import { assertEnvironmentPrincipal } from "@/lib/svix/auth";
import { mapPage, svixListQuery, svixPage } from "@/lib/svix/pagination";
import { svixReply, type SvixContext, type SvixRoute } from "@/lib/svix/router";

const BASE = "/operational-webhook/endpoint";

/** Every operation here is environment-wide. */
function environmentRoute(route: SvixRoute): SvixRoute {
  return {
    ...route,
    handler: (ctx: SvixContext) => {
      assertEnvironmentPrincipal(ctx.principal);
      return route.handler(ctx);
    },
  };
}

export const operationalWebhookRoutes: SvixRoute[] = (
  [
    {
      method: "GET",
      path: BASE,
      operationId: "v1.operational-webhook.endpoint.list",
      handler: async (ctx) => {
        const query = ctx.query(svixListQuery);
        const page = await svixPage(
          query,
          { list: "svix_operational_endpoints" },
          "ascending",
          (a) => listOperationalEndpointsQuery(a.where, a.orderBy, a.take),
        );
        return mapPage(page, serializeOperationalEndpoint);
      },
    },
    {
      method: "POST",
      path: BASE,
      operationId: "v1.operational-webhook.endpoint.create",
      handler: async (ctx) =>
        svixReply(201, await createOperationalEndpoint(await ctx.body(operationalEndpointIn))),
    },
    {
      method: "GET",
      path: `${BASE}/{endpoint_id}`,
      operationId: "v1.operational-webhook.endpoint.get",
      handler: (ctx) => getOperationalEndpoint(ctx.params.endpoint_id!),
    },
    {
      method: "PUT",
      path: `${BASE}/{endpoint_id}`,
      operationId: "v1.operational-webhook.endpoint.upsert",
      handler: async (ctx) =>
        updateOperationalEndpoint(
          ctx.params.endpoint_id!,
          await ctx.body(operationalEndpointUpsertIn),
        ),
    },
    {
      method: "DELETE",
      path: `${BASE}/{endpoint_id}`,
      operationId: "v1.operational-webhook.endpoint.delete",
      handler: async (ctx) => {
        await deleteOperationalEndpoint(ctx.params.endpoint_id!);
        return svixReply(204);
      },
    },
    {
      method: "GET",
      path: `${BASE}/{endpoint_id}/secret`,
      operationId: "v1.operational-webhook.endpoint.get-secret",
      handler: (ctx) => getOperationalEndpointSecret(ctx.params.endpoint_id!),
    },
    {
      method: "POST",
      path: `${BASE}/{endpoint_id}/secret/rotate`,
      operationId: "v1.operational-webhook.endpoint.rotate-secret",
      handler: async (ctx) => {
        await rotateOperationalEndpointSecret(
          ctx.params.endpoint_id!,
          await ctx.body(operationalSecretIn),
        );
        return svixReply(204);
      },
    },
  ] satisfies SvixRoute[]
).map(environmentRoute);
