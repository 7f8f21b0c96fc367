import {
  appResponse,
  createAppRequest,
  listAppsQuery,
  rotateAppSecretsResponse,
  updateAppRequest,
} from "@/lib/apps/schemas";
import { rotateSecretRequest } from "@/lib/endpoints/schemas";
import { commonPathParams as p, defineRoutes } from "@/lib/openapi/registry";
import { listPage } from "@/lib/openapi/shared-schemas";

export const appRoutes = defineRoutes([
  {
    method: "post",
    path: "/apps",
    operationId: "createWebhookApp",
    summary: "Create a webhook app",
    description: "Accepts `slug` or `app_slug`. Slugs are unique (409 on a duplicate).",
    tag: "Apps",
    body: createAppRequest,
    responses: { 201: { description: "The app", schema: appResponse } },
    errors: [409],
  },
  {
    method: "get",
    path: "/apps",
    operationId: "listWebhookApps",
    summary: "List webhook apps",
    tag: "Apps",
    query: listAppsQuery,
    responses: {
      200: { description: "A page of apps, newest first", schema: listPage(appResponse) },
    },
  },
  {
    method: "get",
    path: "/apps/{slug}",
    operationId: "getWebhookApp",
    summary: "Get a webhook app",
    tag: "Apps",
    pathParams: p,
    responses: { 200: { description: "The app", schema: appResponse } },
    errors: [404],
  },
  {
    method: "patch",
    path: "/apps/{slug}",
    operationId: "updateWebhookApp",
    summary: "Update a webhook app",
    description:
      "Changes the given fields; `branding` is replaced as a whole. The slug cannot change.",
    tag: "Apps",
    pathParams: p,
    body: updateAppRequest,
    responses: { 200: { description: "The app", schema: appResponse } },
    errors: [404],
  },
  {
    method: "delete",
    path: "/apps/{slug}",
    operationId: "deleteWebhookApp",
    summary: "Delete a webhook app and everything under it",
    tag: "Apps",
    pathParams: p,
    responses: { 204: { description: "Deleted" } },
    errors: [404],
  },
  {
    method: "post",
    path: "/apps/{slug}/rotate-secret",
    operationId: "rotateWebhookSecret",
    summary: "Rotate the signing secret of every endpoint of the app",
    description:
      "Previous secrets keep signing for the grace period (default 24 h) unless `expire_previous` is true.",
    tag: "Apps",
    pathParams: p,
    body: rotateSecretRequest,
    responses: {
      200: { description: "How many endpoints were rotated", schema: rotateAppSecretsResponse },
    },
    errors: [404, 409],
  },
]);
