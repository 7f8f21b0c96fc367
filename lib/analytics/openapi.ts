import {
  analyticsQuery,
  analyticsResponse,
  statsQuery,
  statsResponse,
  timeseriesQuery,
  timeseriesResponse,
} from "@/lib/analytics/schemas";
import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";

const p = { slug: commonPathParams.slug };
const tag = "Analytics";

/** The analytics routes for the OpenAPI document (collected in lib/openapi/routes.ts). */
export const analyticsRoutes = defineRoutes([
  {
    method: "get",
    path: "/apps/{slug}/stats",
    operationId: "getWebhookStats",
    summary: "Delivery and endpoint health at a glance",
    tag,
    pathParams: p,
    query: statsQuery,
    responses: {
      200: {
        description: "Totals by status, success rate, endpoints by health, the last 24 hours",
        schema: statsResponse,
      },
    },
    errors: [404],
  },
  {
    method: "get",
    path: "/apps/{slug}/analytics",
    operationId: "getWebhookAnalytics",
    summary: "Delivery totals over a period",
    description:
      "From the hourly rollups (hour resolution: the hours holding start_date and end_date count whole). Default period: the " +
      "last 7 days; at most 400 days. `fields` (comma-separated) picks what comes back; an unknown field is a 400 naming it. " +
      "Rates are percentages (0-100); latency percentiles are histogram bucket bounds.",
    tag,
    pathParams: p,
    query: analyticsQuery,
    responses: { 200: { description: "The asked fields", schema: analyticsResponse } },
    errors: [404],
  },
  {
    method: "get",
    path: "/apps/{slug}/timeseries",
    operationId: "getWebhookTimeseries",
    summary: "Deliveries, outcomes and latency over time",
    description:
      "One point per bucket (UTC; weeks start on Monday) from the bucket holding start_date to the one holding end_date, " +
      "zeros included; each bucket counts whole. `hour`/`day`/`week` sum the hourly rollups; `minute` reads raw rows and covers at most 24 hours. " +
      "Defaults: end now; start 1 hour (minute), 24 hours (hour), 30 days (day) or 12 weeks (week) before. At most 3000 points.",
    tag,
    pathParams: p,
    query: timeseriesQuery,
    responses: { 200: { description: "The series", schema: timeseriesResponse } },
    errors: [404],
  },
]);
