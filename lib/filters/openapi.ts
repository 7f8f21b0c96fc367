import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";
import { testFilterRequest, testFilterResponse } from "@/lib/filters/test-filter-schemas";

export const filterRoutes = defineRoutes([
  {
    method: "post",
    path: "/apps/{slug}/filters/test",
    operationId: "testWebhookFilter",
    summary: "Test a payload filter against a payload or a catalog example",
    description:
      "Evaluates the filter (JSON or text form) with the same evaluator as fan-out, against `payload` or the `example` of the catalog " +
      "event type `event_type`, and answers whether it matches, with the filter's JSON form. Changes nothing. " +
      "404 when the event type is not in the catalog, 422 when it has no example.",
    tag: "Endpoints",
    pathParams: { slug: commonPathParams.slug },
    body: testFilterRequest,
    responses: { 200: { description: "Whether the filter matches", schema: testFilterResponse } },
    errors: [404],
  },
]);
