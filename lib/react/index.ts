"use client";
export {
  HooklineProvider,
  useHooklineClient,
  type HooklineProviderProps,
} from "@/lib/react/provider";
export {
  hooklineKeys,
  useWebhookAppSession,
  useWebhookEndpoints,
  useWebhookEndpoint,
  useWebhookDeliveries,
  useWebhookDeliveryFeed,
  useWebhookDelivery,
  useWebhookReplayTasks,
  useWebhookReplayTask,
  useWebhookAnalytics,
  useWebhookTimeseries,
  useWebhookStats,
  useWebhookEventCatalog,
  useWebhookEventSubscriptions,
} from "@/lib/react/hooks";
export { useWebhookFilterTest } from "@/lib/react/filter-hooks";
export { createFrontendClient, type FrontendClient } from "@/lib/react/frontend-client";
export { HooklineError } from "@/lib/sdk/errors";
export type * from "@/lib/react/types";
