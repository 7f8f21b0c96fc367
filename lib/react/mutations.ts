"use client";
/**
 * Hookline's mutations, one per operation of the portal session, each a TanStack `useMutation`
 * (`mutate`, `mutateAsync`, `isPending`, `error`, `reset`). What an operation changes is listed
 * once, in `operationInvalidations`; the per-operation hooks and `useWebhookAppSession`'s
 * functions both settle through `settleOperation`, so a list cannot drift between them.
 */
import {
  useMutation,
  useQueryClient,
  type QueryClient,
  type QueryKey,
  type UseMutationResult,
} from "@tanstack/react-query";
import { hooklineKeys } from "@/lib/react/keys";
import { useHooklineClient } from "@/lib/react/provider";
import type { FrontendClient } from "@/lib/react/frontend-client";
import type {
  CreatedEndpoint,
  CreateEndpointInput,
  ReplayDeliveryResponse,
  ReplayDryRunResponse,
  ReplayRequest,
  ReplayTask,
  ReplayTaskCreated,
  RotateEndpointSecretResponse,
  SkipDeliveryResponse,
  TestEndpointResult,
  UpdateEndpointInput,
  WebhookEndpoint,
  WebhookEndpointSecret,
} from "@/lib/react/types";

export interface TestEndpointInput {
  event_name?: string;
  payload?: Record<string, unknown>;
}

/**
 * Seed 003 "Rotate Signing Secret": one endpoint's (`endpoint_id`; answers the new secret and
 * when the previous one stops signing) or every endpoint's of the app (answers `rotated`).
 */
export interface RotateSecretInput {
  endpoint_id?: string;
  expire_previous?: boolean;
  grace_period_seconds?: number;
}

const endpointPath = (id: string, rest = "") => `/endpoints/${encodeURIComponent(id)}${rest}`;
const deliveryPath = (id: string, rest: string) => `/deliveries/${encodeURIComponent(id)}${rest}`;
const replayTaskPath = (id: string, rest = "") => `/replay-tasks/${encodeURIComponent(id)}${rest}`;

/** The request each operation sends, and what it answers. */
export const hooklineOperations = {
  createEndpoint: (c: FrontendClient, input: CreateEndpointInput) =>
    c.send<CreatedEndpoint>("POST", "/endpoints", input),
  updateEndpoint: (c: FrontendClient, { id, input }: { id: string; input: UpdateEndpointInput }) =>
    c.send<WebhookEndpoint>("PATCH", endpointPath(id), input),
  deleteEndpoint: (c: FrontendClient, id: string) => c.send<void>("DELETE", endpointPath(id)),
  testEndpoint: (
    c: FrontendClient,
    { id, input = {} }: { id: string; input?: TestEndpointInput },
  ) => c.send<TestEndpointResult>("POST", endpointPath(id, "/test"), input),
  rotateSecret: (c: FrontendClient, input: RotateSecretInput = {}) =>
    c.send<Partial<RotateEndpointSecretResponse> & { rotated?: number }>(
      "POST",
      "/rotate-secret",
      input,
    ),
  /** An endpoint's current signing secret (the reveal is audited). */
  revealSecret: async (c: FrontendClient, id: string) =>
    (await c.get<WebhookEndpointSecret>(endpointPath(id, "/secret"))).secret,
  /** Re-enables an endpoint that Hookline disabled (410 Gone, repeated failures). */
  reactivateEndpoint: (c: FrontendClient, id: string) =>
    c.send<WebhookEndpoint>("POST", endpointPath(id, "/reactivate"), {}),
  /** Starts a bulk replay (a task; its progress is under the replay tasks). */
  replayDelivery: async (c: FrontendClient, input: ReplayRequest) => ({
    data: await c.send<ReplayTaskCreated>("POST", "/deliveries/replay", input),
  }),
  /** Sends one delivery again now (same webhook-id, a new attempt). */
  replayOneDelivery: (c: FrontendClient, deliveryId: string) =>
    c.send<ReplayDeliveryResponse>("POST", deliveryPath(deliveryId, "/replay"), {}),
  /** Skips a waiting delivery of a FIFO endpoint, letting the next in its line through. */
  skipDelivery: (c: FrontendClient, deliveryId: string) =>
    c.send<SkipDeliveryResponse>("POST", deliveryPath(deliveryId, "/skip"), {}),
  /** How many deliveries a bulk replay would cover (`dry_run`); creates nothing. */
  previewReplay: (c: FrontendClient, input: Omit<ReplayRequest, "dry_run">) =>
    c.send<ReplayDryRunResponse>("POST", "/deliveries/replay", { ...input, dry_run: true }),
  fetchReplayTaskStatus: (c: FrontendClient, { taskId }: { taskId: string }) =>
    c.get<ReplayTask>(replayTaskPath(taskId)),
  cancelReplayTask: (c: FrontendClient, taskId: string) =>
    c.send<ReplayTask>("POST", replayTaskPath(taskId, "/cancel"), {}),
  endSession: async (c: FrontendClient) => {
    await c.send<void>("DELETE", "/session");
    c.setCsrfToken(null);
  },
};

export type HooklineOperation = keyof typeof hooklineOperations;
export type OperationInput<K extends HooklineOperation> = Parameters<
  (typeof hooklineOperations)[K]
>[1];
export type OperationResult<K extends HooklineOperation> = Awaited<
  ReturnType<(typeof hooklineOperations)[K]>
>;

/** The queries each operation changes, refetched once it succeeds. The one list of them. */
export const operationInvalidations: {
  [K in HooklineOperation]: (input: OperationInput<K>) => readonly QueryKey[];
} = {
  createEndpoint: () => [
    hooklineKeys.endpoints,
    hooklineKeys.catalog,
    hooklineKeys.subscriptions,
    hooklineKeys.stats,
  ],
  updateEndpoint: () => [
    hooklineKeys.endpoints,
    hooklineKeys.catalog,
    hooklineKeys.subscriptions,
    hooklineKeys.stats,
  ],
  deleteEndpoint: () => [hooklineKeys.endpoints, hooklineKeys.subscriptions, hooklineKeys.stats],
  testEndpoint: () => [
    hooklineKeys.deliveries,
    hooklineKeys.analytics,
    hooklineKeys.timeseries,
    hooklineKeys.stats,
  ],
  rotateSecret: (input) => (input?.endpoint_id ? [hooklineKeys.endpoint(input.endpoint_id)] : []),
  revealSecret: () => [],
  reactivateEndpoint: () => [hooklineKeys.endpoints, hooklineKeys.stats],
  replayDelivery: () => [hooklineKeys.deliveries, hooklineKeys.replayTasks],
  replayOneDelivery: (deliveryId) => [
    hooklineKeys.delivery(deliveryId),
    hooklineKeys.deliveries,
    hooklineKeys.stats,
  ],
  skipDelivery: (deliveryId) => [
    hooklineKeys.delivery(deliveryId),
    hooklineKeys.deliveries,
    hooklineKeys.endpoints,
    hooklineKeys.stats,
  ],
  previewReplay: () => [],
  fetchReplayTaskStatus: () => [],
  cancelReplayTask: () => [hooklineKeys.replayTasks],
  // Everything goes: removed by its cache write.
  endSession: () => [],
};

/** Answers that are already what a query would fetch: written to the cache, not refetched. */
const cacheWrites: {
  [K in HooklineOperation]?: (
    qc: QueryClient,
    input: OperationInput<K>,
    result: OperationResult<K>,
  ) => void;
} = {
  updateEndpoint: (qc, { id }, endpoint) => qc.setQueryData(hooklineKeys.endpoint(id), endpoint),
  deleteEndpoint: (qc, id) => qc.removeQueries({ queryKey: hooklineKeys.endpoint(id) }),
  reactivateEndpoint: (qc, id, endpoint) => qc.setQueryData(hooklineKeys.endpoint(id), endpoint),
  fetchReplayTaskStatus: (qc, { taskId }, task) =>
    qc.setQueryData(hooklineKeys.replayTask(taskId), task),
  cancelReplayTask: (qc, taskId, task) => qc.setQueryData(hooklineKeys.replayTask(taskId), task),
  endSession: (qc) => qc.removeQueries({ queryKey: hooklineKeys.all }),
};

/** After an operation succeeded: its cache writes, then its invalidations (awaited). */
export async function settleOperation<K extends HooklineOperation>(
  qc: QueryClient,
  name: K,
  input: OperationInput<K>,
  result: OperationResult<K>,
): Promise<void> {
  cacheWrites[name]?.(qc, input, result);
  await Promise.all(
    operationInvalidations[name](input).map((queryKey) => qc.invalidateQueries({ queryKey })),
  );
}

function send<K extends HooklineOperation>(
  client: FrontendClient,
  name: K,
  input: OperationInput<K>,
): Promise<OperationResult<K>> {
  const operation = hooklineOperations[name] as (
    c: FrontendClient,
    input: OperationInput<K>,
  ) => Promise<OperationResult<K>>;
  return operation(client, input);
}

/** Runs an operation outside a mutation hook (the session's functions): sends it, then settles. */
export async function runOperation<K extends HooklineOperation>(
  client: FrontendClient,
  qc: QueryClient,
  name: K,
  input: OperationInput<K>,
): Promise<OperationResult<K>> {
  const result = await send(client, name, input);
  await settleOperation(qc, name, input, result);
  return result;
}

export type HooklineMutation<K extends HooklineOperation> = UseMutationResult<
  OperationResult<K>,
  Error,
  OperationInput<K>
>;

/**
 * One operation as a mutation. `mutateAsync` resolves once what it changed has been refetched,
 * so a list shows the change when the promise settles.
 */
export function useHooklineMutation<K extends HooklineOperation>(name: K): HooklineMutation<K> {
  const client = useHooklineClient();
  const qc = useQueryClient();
  return useMutation<OperationResult<K>, Error, OperationInput<K>>({
    mutationKey: [...hooklineKeys.all, "mutation", name],
    mutationFn: (input) => send(client, name, input),
    onSuccess: (result, input) => settleOperation(qc, name, input, result),
  });
}

export const useCreateEndpoint = () => useHooklineMutation("createEndpoint");
/** Variables: `{ id, input }`. */
export const useUpdateEndpoint = () => useHooklineMutation("updateEndpoint");
export const useDeleteEndpoint = () => useHooklineMutation("deleteEndpoint");
/** Variables: `{ id, input? }` (`event_name`, `payload`). */
export const useTestEndpoint = () => useHooklineMutation("testEndpoint");
export const useRotateSecret = () => useHooklineMutation("rotateSecret");
export const useRevealSecret = () => useHooklineMutation("revealSecret");
export const useReactivateEndpoint = () => useHooklineMutation("reactivateEndpoint");
/** Starts a bulk replay (seed 001's `replayDelivery`). */
export const useReplayDelivery = () => useHooklineMutation("replayDelivery");
export const useReplayOneDelivery = () => useHooklineMutation("replayOneDelivery");
export const useSkipDelivery = () => useHooklineMutation("skipDelivery");
export const usePreviewReplay = () => useHooklineMutation("previewReplay");
export const useFetchReplayTaskStatus = () => useHooklineMutation("fetchReplayTaskStatus");
/** Variables: the task's id. */
export const useCancelReplayTask = () => useHooklineMutation("cancelReplayTask");
export const useEndSession = () => useHooklineMutation("endSession");
