/** Stats, analytics and timeseries as app-scoped handlers, served by the backend and the frontend API alike. */
import { getAnalytics } from "@/lib/analytics/get-analytics";
import { getStats } from "@/lib/analytics/get-stats";
import { getTimeseries } from "@/lib/analytics/get-timeseries";
import { analyticsQuery, statsQuery, timeseriesQuery } from "@/lib/analytics/schemas";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { parseQuery } from "@/lib/http/parse";

/** `getWebhookStats`. */
export const getStatsHandler: AppScopedHandler = async ({ app, url }) => {
  parseQuery(url, statsQuery);
  return getStats(app);
};

/** `getWebhookAnalytics`: only the asked fields. */
export const getAnalyticsHandler: AppScopedHandler = async ({ app, url }) =>
  getAnalytics(app, parseQuery(url, analyticsQuery));

/** `getWebhookTimeseries`: every bucket, zeros included. */
export const getTimeseriesHandler: AppScopedHandler = async ({ app, url }) =>
  getTimeseries(app, parseQuery(url, timeseriesQuery));
