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
  useWebhookReplayPreview,
  useWebhookAnalytics,
  useWebhookTimeseries,
  useWebhookStats,
  useWebhookEventCatalog,
  useWebhookEventSubscriptions,
} from "@/lib/react/hooks";
export {
  hooklineOperations,
  operationInvalidations,
  useHooklineMutation,
  useCreateEndpoint,
  useUpdateEndpoint,
  useDeleteEndpoint,
  useTestEndpoint,
  useRotateSecret,
  useRevealSecret,
  useReactivateEndpoint,
  useReplayDelivery,
  useReplayOneDelivery,
  useSkipDelivery,
  usePreviewReplay,
  useFetchReplayTaskStatus,
  useCancelReplayTask,
  useEndSession,
  type HooklineMutation,
  type HooklineOperation,
  type OperationInput,
  type OperationResult,
  type RotateSecretInput,
  type TestEndpointInput,
} from "@/lib/react/mutations";
export { useDebouncedValue } from "@/lib/react/debounce";
export { useWebhookFilterTest } from "@/lib/react/filter-hooks";
export { createFrontendClient, type FrontendClient } from "@/lib/react/frontend-client";
export { HooklineError } from "@/lib/sdk/errors";
export type * from "@/lib/react/types";
