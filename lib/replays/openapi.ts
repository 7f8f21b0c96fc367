import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";
import { listPage } from "@/lib/openapi/shared-schemas";
import {
  cancelReplayTaskRequest,
  listReplayTasksQuery,
  replayDeliveriesRequest,
  replayDryRunResponse,
  replayTaskResponse,
} from "@/lib/replays/schemas";

const p = { slug: commonPathParams.slug, id: "The replay task id (`rpl_...`)." };
const tag = "Replays";

/** The replay task routes for the OpenAPI document (collected in lib/openapi/routes.ts). */
export const replayRoutes = defineRoutes([
  {
    method: "post",
    path: "/apps/{slug}/replays",
    operationId: "replayWebhookDeliveries",
    summary: "Replay deliveries in bulk",
    description:
      "Either `delivery_ids`, or `start_date` + `end_date` (optionally `event_names`, `endpoint_id`, `status`: `failed` by " +
      "default for a range, `all` by default for ids). Creates a replay task and answers 202 at once with `task_id`; the task " +
      "reschedules the matching deliveries in batches in the background (new attempts with the same `webhook-id`, trigger " +
      "`replay`). A range made of deliveries created up to the request; later ones are not included. `dry_run: true` answers " +
      "`{ count }` and creates nothing. Limits (422 `replay_limit_exceeded`, with the numbers in `details`): a range wider " +
      "than HOOKLINE_REPLAY_MAX_RANGE_DAYS (14) or more than HOOKLINE_REPLAY_MAX_DELIVERIES (100000) matches. 409 while " +
      "another task of the app with the same endpoint filter is queued or running. Audited.",
    tag,
    pathParams: { slug: commonPathParams.slug },
    body: replayDeliveriesRequest,
    responses: {
      200: {
        description: "Dry run: how many deliveries would be replayed",
        schema: replayDryRunResponse,
      },
      202: { description: "The queued task", schema: replayTaskResponse },
    },
    errors: [404, 409, 422],
  },
  {
    method: "get",
    path: "/apps/{slug}/replays",
    operationId: "listReplayTasks",
    summary: "List replay tasks",
    tag,
    pathParams: { slug: commonPathParams.slug },
    query: listReplayTasksQuery,
    responses: {
      200: {
        description: "A page of replay tasks, newest first",
        schema: listPage(replayTaskResponse),
      },
    },
    errors: [404],
  },
  {
    method: "get",
    path: "/apps/{slug}/replays/{id}",
    operationId: "getReplayTask",
    summary: "Get a replay task's status and progress",
    description:
      "`total` matched at creation; `processed` = `replayed` + `failed` (could not be replayed: endpoint disabled or deleted, attempt in flight, payload expired).",
    tag,
    pathParams: p,
    responses: { 200: { description: "The task", schema: replayTaskResponse } },
    errors: [404],
  },
  {
    method: "post",
    path: "/apps/{slug}/replays/{id}/cancel",
    operationId: "cancelReplayTask",
    summary: "Cancel a replay task",
    description:
      "Stops a queued or running task between two batches: it is `cancelled` at once and its counts say how far it got; what " +
      "was already replayed stays replayed. 409 once the task finished. Audited.",
    tag,
    pathParams: p,
    body: cancelReplayTaskRequest,
    responses: { 200: { description: "The cancelled task", schema: replayTaskResponse } },
    errors: [404, 409],
  },
]);
