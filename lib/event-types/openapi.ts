import {
  createEventTypeRequest,
  eventTypeResponse,
  listEventTypesQuery,
  updateEventTypeRequest,
} from "@/lib/event-types/schemas";
import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";
import { listPage } from "@/lib/openapi/shared-schemas";

const p = { slug: commonPathParams.slug, name: "The event type's name (`invoice.paid`)." };
const tag = "Event types";

export const eventTypeRoutes = defineRoutes([
  {
    method: "post",
    path: "/apps/{slug}/event-types",
    operationId: "createEventType",
    summary: "Add an event type to the catalog",
    tag,
    pathParams: p,
    body: createEventTypeRequest,
    responses: { 201: { description: "The event type", schema: eventTypeResponse } },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/apps/{slug}/event-types",
    operationId: "listEventTypes",
    summary: "List the event catalog",
    tag,
    pathParams: p,
    query: listEventTypesQuery,
    responses: {
      200: {
        description: "A page of event types, newest first",
        schema: listPage(eventTypeResponse),
      },
    },
    errors: [404],
  },
  {
    method: "get",
    path: "/apps/{slug}/event-types/{name}",
    operationId: "getEventType",
    summary: "Get an event type",
    tag,
    pathParams: p,
    responses: { 200: { description: "The event type", schema: eventTypeResponse } },
    errors: [404],
  },
  {
    method: "patch",
    path: "/apps/{slug}/event-types/{name}",
    operationId: "updateEventType",
    summary: "Update an event type",
    tag,
    pathParams: p,
    body: updateEventTypeRequest,
    responses: { 200: { description: "The event type", schema: eventTypeResponse } },
    errors: [404],
  },
  {
    method: "delete",
    path: "/apps/{slug}/event-types/{name}",
    operationId: "deleteEventType",
    summary: "Remove an event type from the catalog",
    tag,
    pathParams: p,
    responses: { 204: { description: "Deleted" } },
    errors: [404],
  },
]);
