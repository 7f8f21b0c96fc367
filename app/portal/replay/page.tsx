"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useId, useMemo, useState, type FormEvent } from "react";
import {
  useCancelReplayTask,
  useDebouncedValue,
  useReplayDelivery,
  useWebhookEndpoints,
  useWebhookEventCatalog,
  useWebhookReplayPreview,
  useWebhookReplayTasks,
  type ReplayRequest,
  type ReplayTask,
} from "@/lib/react";
import {
  atEditedDate,
  errorMessage,
  sortFieldErrors,
  under,
  type FieldErrors,
} from "@/lib/portal/field-errors";
import {
  formatDateTime,
  formatNumber,
  formatRelative,
  isoToLocalInput,
  localInputToIso,
} from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Badge,
  Button,
  Card,
  cx,
  EmptyState,
  ErrorState,
  FieldErrorText,
  focusRing,
  LoadingBlock,
  PageHeader,
  ScrollRegion,
  SelectField,
  Spinner,
  TextField,
  type Tone,
} from "@/components/portal/ui";

const TASKS_SHOWN = 20;

type ReplayStatusChoice = NonNullable<ReplayRequest["status"]>;
const STATUS_CHOICES: { value: ReplayStatusChoice; label: string; scope: string }[] = [
  { value: "failed", label: "Failed only", scope: "failed only" },
  {
    value: "failed_or_retrying",
    label: "Failed or still retrying",
    scope: "failed or retrying",
  },
  { value: "all", label: "All, including successful", scope: "all outcomes" },
];

const LABELS = {
  start_date: "From",
  end_date: "To",
  event_names: "Events",
  endpoint_id: "Endpoint",
  status: "Which deliveries",
};
const CLAIMS = {
  start_date: under("start_date"),
  end_date: under("end_date"),
  event_names: under("event_names"),
  endpoint_id: under("endpoint_id"),
  status: under("status"),
};

/** The last 24 hours, up to the end of the current minute (the fields have minute precision). */
function defaultRange(): { start: string; end: string } {
  const now = new Date();
  now.setSeconds(0, 0);
  const end = new Date(now.getTime() + 60 * 1000);
  const start = new Date(now.getTime() - 24 * 3600 * 1000);
  return { start: isoToLocalInput(start.toISOString()), end: isoToLocalInput(end.toISOString()) };
}

export default function ReplayPage() {
  return (
    <>
      <PageHeader
        title="Replay"
        description="Send past deliveries again, for example after fixing an outage on your side. Each replayed delivery keeps its webhook-id, so receivers that deduplicate by it stay safe."
      />
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="lg:col-span-2">
          <ReplayForm />
        </div>
        <div className="lg:col-span-3">
          <ReplayTasks />
        </div>
      </div>
    </>
  );
}

function ReplayForm() {
  const id = useId();
  const searchParams = useSearchParams();
  const { endpoints } = useWebhookEndpoints();
  const catalog = useWebhookEventCatalog();
  const toast = useToast();

  const [range] = useState(defaultRange);
  const [start, setStart] = useState(
    () => isoToLocalInput(searchParams.get("start_date")) || range.start,
  );
  const [end, setEnd] = useState(() => isoToLocalInput(searchParams.get("end_date")) || range.end);
  const [events, setEvents] = useState<string[]>(() =>
    (searchParams.get("event_names") ?? "").split(",").filter(Boolean),
  );
  const [endpointId, setEndpointId] = useState(() => searchParams.get("endpoint_id") ?? "");
  const [status, setStatus] = useState<ReplayStatusChoice>("failed");

  const request = useMemo<Omit<ReplayRequest, "dry_run">>(
    () => ({
      start_date: localInputToIso(start) ?? (start || undefined),
      end_date: localInputToIso(end) ?? (end || undefined),
      event_names: events.length ? events : undefined,
      endpoint_id: endpointId || undefined,
      status,
    }),
    [start, end, events, endpointId, status],
  );

  // The preview: how many deliveries the replay would cover, asked again once the filters stop
  // changing. A finished replay changes what matches; the tasks hook then refreshes deliveries,
  // and with them this count.
  const settledRequest = useDebouncedValue(request, 350);
  const preview = useWebhookReplayPreview(settledRequest);
  const previewing = preview.isFetching;
  const { tasks } = useWebhookReplayTasks({ limit: TASKS_SHOWN });

  const replay = useReplayDelivery();
  // The request a replay was just started for: not offered again (a double send) until the
  // filters change.
  const [started, setStarted] = useState<{
    request: typeof request;
    id: string;
    total: number;
  } | null>(null);
  const startedTask = tasks.find((t) => t.id === started?.id);
  const justStarted =
    started?.request === request &&
    (!startedTask || startedTask.status === "queued" || startedTask.status === "running");
  // What the count says while the filters settle: the last answer, so the line does not blank
  // out at each keystroke. Only a count of the filters as they are now may be replayed.
  const shownCount = preview.isError ? null : (preview.data?.count ?? null);
  const upToDate = settledRequest === request && !preview.isPlaceholderData;
  const count = upToDate ? shownCount : null;
  const shownError = replay.error ?? (upToDate && preview.isError ? preview.error : null);
  // Which end of the range the user changed last: a reversed range is reported there.
  const [edited, setEdited] = useState<"start_date" | "end_date" | null>(null);
  const sorted = useMemo(() => {
    if (!shownError) return { fields: {} as FieldErrors, rest: [] as string[] };
    const s = sortFieldErrors(shownError, CLAIMS, LABELS);
    return { ...s, fields: atEditedDate(s.fields, edited, LABELS) };
  }, [shownError, edited]);

  async function startReplay(e: FormEvent) {
    e.preventDefault();
    try {
      const { data } = await replay.mutateAsync(request);
      toast(`Replay started for ${formatNumber(data.total)} deliveries`);
      setStarted({ request, id: data.id, total: data.total });
      document.getElementById("replay-tasks")?.focus();
    } catch (err) {
      const first = (Object.keys(CLAIMS) as (keyof typeof CLAIMS)[]).find(
        (k) => sortFieldErrors(err, CLAIMS, LABELS).fields[k],
      );
      if (first) document.getElementById(`${id}-${first}`)?.focus();
    }
  }

  const clearStartError = () => replay.reset();

  return (
    <Card className="p-4 sm:p-5" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="mb-4 text-base font-semibold">
        New bulk replay
      </h2>
      <form onSubmit={startReplay} noValidate className="space-y-4" data-testid="replay-form">
        {sorted.rest.length ? <Alert tone="err">{sorted.rest.join(" ")}</Alert> : null}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
          <TextField
            id={`${id}-start_date`}
            label="From"
            type="datetime-local"
            required
            value={start}
            onChange={(e) => {
              setStart(e.target.value);
              setEdited("start_date");
              clearStartError();
            }}
            error={sorted.fields.start_date}
          />
          <TextField
            id={`${id}-end_date`}
            label="To"
            type="datetime-local"
            required
            value={end}
            onChange={(e) => {
              setEnd(e.target.value);
              setEdited("end_date");
              clearStartError();
            }}
            error={sorted.fields.end_date}
          />
        </div>
        <fieldset id={`${id}-status`} tabIndex={-1} className="focus:outline-none">
          <legend className="mb-1 text-sm font-medium">Which deliveries</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            {STATUS_CHOICES.map(({ value: v, label }) => (
              <label key={v} className="flex items-center gap-2">
                <input
                  type="radio"
                  name={`${id}-status`}
                  value={v}
                  checked={status === v}
                  onChange={() => setStatus(v)}
                  className="h-4 w-4 accent-(--hl-brand)"
                />
                {label}
              </label>
            ))}
          </div>
          {sorted.fields.status ? <FieldErrorText>{sorted.fields.status}</FieldErrorText> : null}
        </fieldset>
        <SelectField
          id={`${id}-endpoint_id`}
          label="Endpoint"
          value={endpointId}
          onChange={(e) => {
            setEndpointId(e.target.value);
            clearStartError();
          }}
          error={sorted.fields.endpoint_id}
        >
          <option value="">All endpoints</option>
          {endpoints.map((e) => (
            <option key={e.id} value={e.id}>
              {e.url}
            </option>
          ))}
        </SelectField>
        <fieldset
          id={`${id}-event_names`}
          tabIndex={-1}
          className="min-w-0 focus:outline-none"
          aria-describedby={`${id}-events-hint`}
        >
          <legend className="mb-1 text-sm font-medium">Events</legend>
          <p id={`${id}-events-hint`} className="mb-2 text-xs text-(--hl-muted)">
            None selected: every event.
          </p>
          {catalog.loading ? (
            <p className="text-sm text-(--hl-muted)">Loading event types…</p>
          ) : catalog.eventTypes.length === 0 ? (
            <p className="text-sm text-(--hl-muted)">No event types in the catalog.</p>
          ) : (
            <ScrollRegion
              as="ul"
              label="Event types to replay"
              className="max-h-44 space-y-1 overflow-y-auto rounded-md border border-(--hl-border-strong) p-2"
            >
              {catalog.eventTypes.map((t) => (
                <li key={t.id}>
                  <label className="flex min-h-6 items-center gap-2 py-0.5 text-sm">
                    <input
                      type="checkbox"
                      className="h-5 w-5 accent-(--hl-brand)"
                      checked={events.includes(t.name)}
                      onChange={(e) =>
                        setEvents((list) =>
                          e.target.checked ? [...list, t.name] : list.filter((n) => n !== t.name),
                        )
                      }
                    />
                    <code className="font-mono text-[13px]">{t.name}</code>
                  </label>
                </li>
              ))}
            </ScrollRegion>
          )}
          {sorted.fields.event_names ? (
            <FieldErrorText>{sorted.fields.event_names}</FieldErrorText>
          ) : null}
        </fieldset>

        <div className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-(--hl-surface-2) px-3 py-2.5 text-sm">
          <div aria-live="polite" data-testid="replay-preview">
            {justStarted ? (
              <span>
                Replay started for{" "}
                <strong className="tabular-nums">{formatNumber(started.total)}</strong>{" "}
                {started.total === 1 ? "delivery" : "deliveries"}: its progress is under Replay
                tasks. Change the filters to replay something else.
              </span>
            ) : previewing && shownCount === null ? (
              <span className="inline-flex items-center gap-2 text-(--hl-muted)">
                <Spinner className="h-4 w-4" /> Counting deliveries…
              </span>
            ) : shownCount !== null ? (
              shownCount === 0 ? (
                <span>No deliveries match. Widen the date range or filters.</span>
              ) : (
                <span>
                  This would replay{" "}
                  <strong className="tabular-nums">{formatNumber(shownCount)}</strong>{" "}
                  {shownCount === 1 ? "delivery" : "deliveries"}.
                </span>
              )
            ) : shownError ? (
              <span className="text-(--hl-err)">
                Fix the highlighted fields to see how many deliveries match.
              </span>
            ) : (
              <span className="text-(--hl-muted)">Choose what to replay.</span>
            )}
          </div>
          <button
            type="button"
            onClick={() => void preview.refetch()}
            disabled={previewing}
            className={cx(
              "rounded px-1 text-xs font-medium text-(--hl-brand-text) hover:underline disabled:opacity-50",
              focusRing,
            )}
          >
            Count again
          </button>
        </div>
        <Button
          type="submit"
          variant="primary"
          loading={replay.isPending}
          disabled={!count || previewing || justStarted}
          className="w-full sm:w-auto"
        >
          {justStarted
            ? "Replay started"
            : count
              ? `Replay ${formatNumber(count)} ${count === 1 ? "delivery" : "deliveries"}`
              : "Replay"}
        </Button>
      </form>
    </Card>
  );
}

const TASK_STATUS: Record<ReplayTask["status"], { label: string; tone: Tone }> = {
  queued: { label: "Queued", tone: "info" },
  running: { label: "Running", tone: "brand" },
  completed: { label: "Completed", tone: "ok" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  failed: { label: "Failed", tone: "err" },
};

function ReplayTasks() {
  const { tasks, loading, error, refetch } = useWebhookReplayTasks({ limit: TASKS_SHOWN });
  const { endpoints } = useWebhookEndpoints();
  const urls = useMemo(() => new Map(endpoints.map((e) => [e.id, e.url])), [endpoints]);
  return (
    <section aria-labelledby="replay-tasks-title">
      <h2 id="replay-tasks-title" className="mb-3 text-base font-semibold">
        <span id="replay-tasks" tabIndex={-1} className="focus:outline-none">
          Replay tasks
        </span>
      </h2>
      {loading ? (
        <LoadingBlock label="Loading replay tasks…" rows={2} />
      ) : error ? (
        <ErrorState
          error={error}
          title="Could not load replay tasks"
          onRetry={() => void refetch()}
        />
      ) : tasks.length === 0 ? (
        <EmptyState title="No replays yet">
          Replays you start appear here with their progress.
        </EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="replay-tasks">
          {tasks.map((t) => (
            <TaskItem
              key={t.id}
              task={t}
              endpointUrl={t.filter.endpoint_id ? urls.get(t.filter.endpoint_id) : undefined}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskItem({ task, endpointUrl }: { task: ReplayTask; endpointUrl?: string }) {
  const toast = useToast();
  const cancel = useCancelReplayTask();
  const activeTask = task.status === "queued" || task.status === "running";
  // Matched nothing: not "Completed, 0 of 0 (100 %)".
  const empty = task.total === 0 && task.status === "completed";
  const s = empty
    ? { label: "Nothing matched", tone: "neutral" as Tone }
    : TASK_STATUS[task.status];
  const pct = Math.max(0, Math.min(100, Math.round(task.progress)));
  const f = task.filter;
  const scope = [
    f.delivery_ids
      ? `${formatNumber(f.delivery_id_count ?? f.delivery_ids.length)} selected deliveries`
      : null,
    f.start_date && f.end_date
      ? `${formatDateTime(f.start_date)} – ${formatDateTime(f.end_date)}`
      : null,
    STATUS_CHOICES.find((c) => c.value === f.status)?.scope ?? f.status,
    f.event_names?.length ? f.event_names.join(", ") : "all events",
    f.endpoint_id ? (endpointUrl ?? f.endpoint_id) : "all endpoints",
  ].filter(Boolean);

  return (
    <li>
      <Card
        as="article"
        className="p-4"
        data-testid="replay-task"
        data-status={task.status}
        aria-label={`Replay task ${task.id}`}
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex items-center gap-2">
            <Badge tone={s.tone}>
              <span data-testid="task-status">{s.label}</span>
            </Badge>
            <span className="text-xs text-(--hl-subtle)" title={formatDateTime(task.created_at)}>
              Started {formatRelative(task.created_at)}
            </span>
          </div>
          {activeTask ? (
            <Button
              size="sm"
              loading={cancel.isPending}
              disabled={!!task.cancel_requested_at}
              onClick={() => cancel.mutate(task.id, { onSuccess: () => toast("Replay cancelled") })}
            >
              {task.cancel_requested_at ? "Cancelling…" : "Cancel"}
            </Button>
          ) : null}
        </div>
        {empty ? (
          <p className="mt-3 text-sm" data-testid="task-progress">
            No deliveries matched this replay, so nothing was sent.
          </p>
        ) : (
          <div className="mt-3">
            <div
              role="progressbar"
              aria-label="Replay progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={pct}
              aria-valuetext={`${formatNumber(task.processed)} of ${formatNumber(task.total)} processed`}
              className="h-2 overflow-hidden rounded-full bg-(--hl-surface-2)"
            >
              <div
                className={cx(
                  "h-full rounded-full transition-[width]",
                  task.status === "failed"
                    ? "bg-(--hl-err)"
                    : task.status === "cancelled"
                      ? "bg-(--hl-subtle)"
                      : "bg-(--hl-brand)",
                )}
                style={{ width: `${pct}%` }}
              />
            </div>
            <p className="mt-1.5 flex flex-wrap justify-between gap-2 text-xs text-(--hl-muted)">
              <span data-testid="task-progress">
                {formatNumber(task.processed)} of {formatNumber(task.total)} processed ({pct}%)
              </span>
              <span>
                {formatNumber(task.replayed)} replayed
                {task.failed ? (
                  <span className="text-(--hl-err)">
                    {" "}
                    · {formatNumber(task.failed)} could not be replayed
                  </span>
                ) : null}
              </span>
            </p>
          </div>
        )}
        <p className="mt-2 text-xs break-words text-(--hl-subtle)">{scope.join(" · ")}</p>
        {task.skipped.length > 0 ? <SkippedList task={task} /> : null}
        {task.error ? <p className="mt-2 text-xs text-(--hl-err)">{task.error}</p> : null}
        {cancel.error ? (
          <Alert tone="err" className="mt-2">
            {errorMessage(cancel.error)}
          </Alert>
        ) : null}
      </Card>
    </li>
  );
}

/** Which deliveries a task could not replay, grouped by why, each linking to its delivery. */
function SkippedList({ task }: { task: ReplayTask }) {
  const { href } = usePortal();
  const groups = new Map<string, { message: string; ids: string[] }>();
  for (const s of task.skipped) {
    const g = groups.get(s.reason) ?? { message: s.message, ids: [] };
    g.ids.push(s.delivery_id);
    groups.set(s.reason, g);
  }
  return (
    <details className="mt-2 text-xs" data-testid="task-skipped">
      <summary className={cx("cursor-pointer font-medium text-(--hl-err)", focusRing)}>
        Which {task.failed === 1 ? "delivery was" : "deliveries were"} not replayed, and why
      </summary>
      <ul className="mt-2 space-y-2">
        {[...groups.entries()].map(([reason, g]) => (
          <li key={reason} data-reason={reason}>
            <p className="text-(--hl-fg)">
              {formatNumber(g.ids.length)} × {g.message}
            </p>
            <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
              {g.ids.map((id) => (
                <li key={id}>
                  <Link
                    href={href(`/portal/deliveries?delivery=${encodeURIComponent(id)}`)}
                    className={cx(
                      "font-mono text-(--hl-brand-text) underline-offset-2 hover:underline",
                      focusRing,
                    )}
                  >
                    {id}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {task.failed > task.skipped.length ? (
        <p className="mt-1 text-(--hl-muted)">
          The first {formatNumber(task.skipped.length)} of {formatNumber(task.failed)} are listed.
        </p>
      ) : null}
    </details>
  );
}
