"use client";
/**
 * Hookline's React hooks (seed 001's names and shapes), on TanStack Query. Every hook reads
 * through the frontend API with the portal session cookie; mutations invalidate what they
 * change, so lists refresh without a reload.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  type InfiniteData,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { useCallback, useEffect, useMemo } from "react";
import { HooklineError } from "@/lib/sdk/errors";
import { hooklineKeys } from "@/lib/react/keys";
import {
  hooklineOperations,
  runOperation,
  type HooklineOperation,
  type OperationInput,
  type RotateSecretInput,
  type TestEndpointInput,
} from "@/lib/react/mutations";
import { useHooklineClient } from "@/lib/react/provider";
import type { FrontendClient, QueryParams } from "@/lib/react/frontend-client";
import type {
  AnalyticsParams,
  DeliveriesParams,
  DeliveryDetail,
  DeliverySummary,
  EventType,
  PortalSession,
  ReplayRequest,
  ReplayTask,
  TimeseriesParams,
  TimeseriesResponse,
  UpdateEndpointInput,
  WebhookAnalytics,
  WebhookEndpoint,
  WebhookStats,
} from "@/lib/react/types";

export { hooklineKeys };

type ListPage<T> = { data: T[]; next_cursor: string | null; has_more: boolean };

async function fetchSession(client: FrontendClient): Promise<PortalSession> {
  const session = await client.get<PortalSession>("/session");
  client.setCsrfToken(session.csrf_token);
  return session;
}

/**
 * The session query every hook waits on: the cookie's session, if there is one. `enabled: false`
 * while a ticket is being exchanged, so an older cookie's answer cannot land after the new one.
 */
function usePortalSession(enabled = true) {
  const client = useHooklineClient();
  return useQuery({
    queryKey: hooklineKeys.session,
    queryFn: () => fetchSession(client),
    retry: false,
    staleTime: 60_000,
    enabled,
  });
}

function useHasSession(): boolean {
  return !!usePortalSession().data;
}

const isAuthError = (e: unknown) =>
  e instanceof HooklineError && (e.status === 401 || e.status === 403);

function invalidate(qc: QueryClient, ...keys: (readonly unknown[])[]) {
  return Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
}

/**
 * The session's functions in seed 001's shapes, each the operation the mutation hooks run (same
 * request, same cache writes and invalidations: lib/react/mutations.ts).
 */
function sessionOperations(client: FrontendClient, qc: QueryClient) {
  const run =
    <K extends HooklineOperation>(name: K) =>
    (input: OperationInput<K>) =>
      runOperation(client, qc, name, input);
  return {
    createEndpoint: run("createEndpoint"),
    updateEndpoint: (id: string, input: UpdateEndpointInput) =>
      run("updateEndpoint")({ id, input }),
    deleteEndpoint: run("deleteEndpoint"),
    testEndpoint: (id: string, input: TestEndpointInput = {}) => run("testEndpoint")({ id, input }),
    rotateSecret: (input: RotateSecretInput = {}) => run("rotateSecret")(input),
    revealSecret: run("revealSecret"),
    reactivateEndpoint: run("reactivateEndpoint"),
    replayDelivery: run("replayDelivery"),
    replayOneDelivery: run("replayOneDelivery"),
    skipDelivery: run("skipDelivery"),
    previewReplay: run("previewReplay"),
    fetchReplayTaskStatus: run("fetchReplayTaskStatus"),
    cancelReplayTask: (arg: { taskId: string } | string) =>
      run("cancelReplayTask")(typeof arg === "string" ? arg : arg.taskId),
    endSession: () => run("endSession")(undefined),
  };
}

/**
 * Exchanges `ticket` (once, even under StrictMode double effects) for a session and exposes the
 * session's app and every mutation. With `ticket` null it uses an existing session cookie.
 */
export function useWebhookAppSession(ticket: string | null | undefined) {
  const client = useHooklineClient();
  const qc = useQueryClient();
  const exchange = useQuery({
    queryKey: hooklineKeys.exchange(ticket ?? ""),
    queryFn: async () => {
      const session = await client.exchangeTicket<PortalSession>(ticket!);
      client.setCsrfToken(session.csrf_token);
      qc.setQueryData(hooklineKeys.session, session);
      return session;
    },
    enabled: !!ticket,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  // With a ticket, its exchange decides the session; a failed exchange is an error even when an
  // older cookie would still answer (it may belong to another app).
  const session = usePortalSession(!ticket || exchange.isSuccess);
  const data = ticket && exchange.isError ? undefined : session.data;

  const sessionError = useMemo(() => {
    if (exchange.error) return exchange.error as Error;
    if (data) return null;
    if (session.error && !isAuthError(session.error)) return session.error as Error;
    return null;
  }, [data, exchange.error, session.error]);

  const operations = useMemo(() => sessionOperations(client, qc), [client, qc]);

  return {
    sessionLoading: (!!ticket && exchange.isLoading) || session.isLoading,
    hasSession: !!data,
    sessionError,
    session: data ?? null,
    webhookApp: data?.webhook_app ?? null,
    ...operations,
  };
}

function useSessionQuery<T>(
  queryKey: readonly unknown[],
  path: string,
  query?: QueryParams,
  options: { refetchInterval?: number | false } = {},
) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  return useQuery({
    queryKey: query ? [...queryKey, query] : queryKey,
    queryFn: () => client.get<T>(path, query),
    enabled: hasSession,
    refetchInterval: options.refetchInterval,
  });
}

/** The app's endpoints. */
export function useWebhookEndpoints() {
  const q = useSessionQuery<ListPage<WebhookEndpoint>>(hooklineKeys.endpoints, "/endpoints", {
    limit: 250,
  });
  return {
    endpoints: q.data?.data ?? [],
    loading: q.isLoading,
    error: q.error,
    refetch: q.refetch,
  };
}

/** One endpoint. */
export function useWebhookEndpoint(id: string | null | undefined) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  const q = useQuery({
    queryKey: hooklineKeys.endpoint(id ?? ""),
    queryFn: () => client.get<WebhookEndpoint>(`/endpoints/${encodeURIComponent(id!)}`),
    enabled: hasSession && !!id,
  });
  return { endpoint: q.data ?? null, loading: q.isLoading, error: q.error, refetch: q.refetch };
}

/** The delivery log's pages, by cursor (the infinite-query options both list hooks share). */
function deliveryPages(
  client: FrontendClient,
  filters: Omit<DeliveriesParams, "limit">,
  limit: number,
) {
  return {
    queryFn: ({ pageParam }: { pageParam: string | undefined }) =>
      client.get<ListPage<DeliverySummary>>("/deliveries", {
        ...filters,
        limit,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: ListPage<DeliverySummary>) => last.next_cursor ?? undefined,
  };
}

/** The delivery log, newest first; `loadMore` fetches the next page by cursor. */
export function useWebhookDeliveries(params: DeliveriesParams = {}) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  const { limit = 50, ...filters } = params;
  const q = useInfiniteQuery({
    queryKey: [...hooklineKeys.deliveries, { limit, ...filters }],
    ...deliveryPages(client, filters, limit),
    enabled: hasSession,
    // Live while something is in flight: quickly for pending, slowly for scheduled retries.
    refetchInterval: (query) => {
      const all = query.state.data?.pages.flatMap((p) => p.data) ?? [];
      if (all.some((d) => d.status === "pending")) return 2_000;
      if (all.some((d) => d.status === "retrying")) return 10_000;
      return false;
    },
  });
  const deliveries = useMemo(() => q.data?.pages.flatMap((p) => p.data) ?? [], [q.data]);
  return {
    deliveries,
    loading: q.isLoading,
    error: q.error,
    hasMore: !!q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    loadMore: () => q.fetchNextPage(),
    refetch: q.refetch,
  };
}

/** How often the delivery feed asks for the newest page: quickly while anything shown is in flight. */
export function deliveryFeedPollInterval(shown: Pick<DeliverySummary, "status">[]): number {
  return shown.some((d) => d.status === "pending" || d.status === "retrying") ? 3_000 : 10_000;
}

/**
 * What the newest page (`head`) holds that the shown list does not: deliveries newer than the
 * newest shown one. `more` when the whole page is new (there may be more than `count`).
 */
export function newDeliveriesIn(
  head: ListPage<DeliverySummary> | undefined,
  shown: DeliverySummary[],
): { count: number; more: boolean } {
  if (!head || shown.length === 0) return { count: 0, more: false };
  const ids = new Set(shown.map((d) => d.id));
  const newest = shown.reduce((t, d) => (d.created_at > t ? d.created_at : t), "");
  const count = head.data.filter((d) => !ids.has(d.id) && d.created_at >= newest).length;
  return { count, more: count === head.data.length && head.has_more };
}

/**
 * The delivery log as a feed that never moves under the reader: pages already shown are not
 * refetched on a timer (however many were loaded); one request for the newest page runs every
 * few seconds, updates the status of rows it holds in place, and counts what arrived since
 * (`newCount`). `showNew()` puts the newest page on top (and forgets the loaded pages).
 */
export function useWebhookDeliveryFeed(params: DeliveriesParams = {}) {
  const client = useHooklineClient();
  const qc = useQueryClient();
  const hasSession = useHasSession();
  const { limit = 50, ...filters } = params;
  const listKey = [...hooklineKeys.deliveries, "feed", { limit, ...filters }] as const;
  const list = useInfiniteQuery({
    queryKey: listKey,
    ...deliveryPages(client, filters, limit),
    enabled: hasSession,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const shown = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const head = useQuery({
    queryKey: [...hooklineKeys.deliveries, "feed-head", { limit, ...filters }],
    queryFn: () => client.get<ListPage<DeliverySummary>>("/deliveries", { ...filters, limit }),
    enabled: hasSession && list.isSuccess,
    refetchInterval: deliveryFeedPollInterval(shown),
  });
  const deliveries = useMemo(() => {
    const latest = new Map(head.data?.data.map((d) => [d.id, d]));
    return shown.map((d) => latest.get(d.id) ?? d);
  }, [shown, head.data]);
  const fresh = newDeliveriesIn(head.data, shown);
  const listKeyText = JSON.stringify(listKey);
  // The newest page becomes the list's only page (Load more goes on from there).
  const applyPage = useCallback(
    (page: ListPage<DeliverySummary>) =>
      qc.setQueryData<InfiniteData<ListPage<DeliverySummary>, string | undefined>>(
        JSON.parse(listKeyText) as unknown[],
        { pages: [page], pageParams: [undefined] },
      ),
    [qc, listKeyText],
  );
  const { refetch: refetchHead } = head;
  const showNew = useCallback(async () => {
    const { data } = await refetchHead();
    if (data) applyPage(data);
  }, [refetchHead, applyPage]);
  // Nothing shown yet: the first deliveries appear by themselves (there is no row to move).
  const firstArrived =
    list.isSuccess && shown.length === 0 && head.data?.data.length ? head.data : null;
  useEffect(() => {
    if (firstArrived) applyPage(firstArrived);
  }, [firstArrived, applyPage]);
  return {
    deliveries,
    loading: list.isLoading,
    error: list.error ?? null,
    hasMore: !!list.hasNextPage,
    loadingMore: list.isFetchingNextPage,
    loadMore: () => list.fetchNextPage(),
    newCount: fresh.count,
    moreNew: fresh.more,
    showNew,
    retry: list.refetch,
  };
}

/** How soon to look at an open delivery again, or false once it has settled. */
export function deliveryRefetchInterval(
  delivery: Pick<DeliveryDetail, "status" | "next_attempt_at"> | null,
  now: number,
): number | false {
  if (!delivery) return false;
  if (delivery.status === "pending") return 1_500;
  if (delivery.status !== "retrying") return false;
  const due = delivery.next_attempt_at ? Date.parse(delivery.next_attempt_at) - now + 750 : 10_000;
  return Math.min(10_000, Math.max(1_000, Number.isFinite(due) ? due : 10_000));
}

/** One delivery with every attempt. */
export function useWebhookDelivery(id: string | null | undefined) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  const q = useQuery({
    queryKey: hooklineKeys.delivery(id ?? ""),
    queryFn: () => client.get<DeliveryDetail>(`/deliveries/${encodeURIComponent(id!)}`),
    enabled: hasSession && !!id,
    // Live while the delivery is in flight: pending every 1.5 s; retrying, just after its next
    // attempt is due (between 1 and 10 s), so a new attempt shows within a second or so.
    refetchInterval: (query) => deliveryRefetchInterval(query.state.data ?? null, Date.now()),
  });
  return { delivery: q.data ?? null, loading: q.isLoading, error: q.error, refetch: q.refetch };
}

const isActiveTask = (t: ReplayTask) => t.status === "queued" || t.status === "running";

/** Bulk replay tasks, newest first; polls every second while any is queued or running. */
export function useWebhookReplayTasks(params: { limit?: number } = {}) {
  const client = useHooklineClient();
  const qc = useQueryClient();
  const hasSession = useHasSession();
  const limit = params.limit ?? 50;
  const q = useQuery({
    queryKey: [...hooklineKeys.replayTasks, { limit }],
    queryFn: async () => {
      const page = await client.get<ListPage<ReplayTask>>("/replay-tasks", { limit });
      const previous = qc.getQueryData<ListPage<ReplayTask>>([
        ...hooklineKeys.replayTasks,
        { limit },
      ]);
      // A task that just finished changed deliveries and figures: refresh them once.
      const finished = page.data.some(
        (t) => !isActiveTask(t) && previous?.data.some((p) => p.id === t.id && isActiveTask(p)),
      );
      if (finished)
        void invalidate(
          qc,
          hooklineKeys.deliveries,
          hooklineKeys.analytics,
          hooklineKeys.timeseries,
          hooklineKeys.stats,
        );
      return page;
    },
    enabled: hasSession,
    refetchInterval: (query) => (query.state.data?.data.some(isActiveTask) ? 1_000 : false),
  });
  return { tasks: q.data?.data ?? [], loading: q.isLoading, error: q.error, refetch: q.refetch };
}

/** One replay task, polled until it finishes. */
export function useWebhookReplayTask(taskId: string | null | undefined) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  const q = useQuery({
    queryKey: hooklineKeys.replayTask(taskId ?? ""),
    queryFn: () => client.get<ReplayTask>(`/replay-tasks/${encodeURIComponent(taskId!)}`),
    enabled: hasSession && !!taskId,
    refetchInterval: (query) =>
      query.state.data && isActiveTask(query.state.data) ? 1_000 : false,
  });
  return { task: q.data ?? null, loading: q.isLoading, error: q.error };
}

/**
 * How many deliveries a bulk replay of `request` would cover (a dry run), asked again whenever
 * `request` changes; key it on debounced input (`useDebouncedValue`). The last count stays while
 * the next one loads (`isPlaceholderData`), so the figure does not blank out at each keystroke.
 * Whatever invalidates deliveries (a replay started or finished) counts again.
 */
export function useWebhookReplayPreview(request: Omit<ReplayRequest, "dry_run">) {
  const client = useHooklineClient();
  const hasSession = useHasSession();
  return useQuery({
    queryKey: [...hooklineKeys.replayPreview, request],
    queryFn: () => hooklineOperations.previewReplay(client, request),
    enabled: hasSession,
    placeholderData: keepPreviousData,
    staleTime: 0,
    // An invalid filter answers 400: say so at once, not after retries.
    retry: false,
  });
}

/** Summary figures over a range (seed 003 `fields`). */
export function useWebhookAnalytics(params: AnalyticsParams = {}) {
  const q = useSessionQuery<WebhookAnalytics>(
    hooklineKeys.analytics,
    "/analytics",
    toQueryParams(params),
  );
  return { analytics: q.data ?? null, loading: q.isLoading, error: q.error, refetch: q.refetch };
}

/** Counts by outcome per bucket (every bucket present). */
export function useWebhookTimeseries(params: TimeseriesParams = {}) {
  const q = useSessionQuery<TimeseriesResponse>(
    hooklineKeys.timeseries,
    "/timeseries",
    toQueryParams(params),
  );
  return {
    timeseries: q.data?.timeseries ?? [],
    interval: q.data?.interval ?? params.interval ?? "hour",
    loading: q.isLoading,
    error: q.error,
    refetch: q.refetch,
  };
}

/** Totals by status, endpoint health, last 24 h. */
export function useWebhookStats() {
  const q = useSessionQuery<WebhookStats>(hooklineKeys.stats, "/stats");
  return { stats: q.data ?? null, loading: q.isLoading, error: q.error, refetch: q.refetch };
}

/** The event catalog (names, descriptions, schemas, examples). */
export function useWebhookEventCatalog() {
  const q = useSessionQuery<{ data: EventType[] }>(hooklineKeys.catalog, "/events/catalog");
  return {
    eventTypes: q.data?.data ?? [],
    loading: q.isLoading,
    error: q.error,
    refetch: q.refetch,
  };
}

/** Event names the app's endpoints subscribe to. */
export function useWebhookEventSubscriptions() {
  const q = useSessionQuery<{ data: string[] }>(
    hooklineKeys.subscriptions,
    "/events/subscriptions",
  );
  return {
    subscriptions: q.data?.data ?? [],
    loading: q.isLoading,
    error: q.error,
    refetch: q.refetch,
  };
}

function toQueryParams(params: object): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = v as QueryParams[string];
  return out;
}
