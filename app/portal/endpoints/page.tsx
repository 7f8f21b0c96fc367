"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import {
  useCreateEndpoint,
  useWebhookEndpoints,
  useWebhookEventCatalog,
  type CreateEndpointInput,
} from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { formatRelative } from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { EndpointForm, endpointPayload } from "@/components/portal/endpoint-form";
import {
  DeleteEndpointDialog,
  EndpointStatusBadge,
  endpointState,
  SubscriptionChips,
  TestEndpointDialog,
  useEndpointToggle,
} from "@/components/portal/endpoint-bits";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Button,
  Card,
  CopyButton,
  cx,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  PageHeader,
} from "@/components/portal/ui";

export default function EndpointsPage() {
  const creation = useCreateEndpoint();
  const { endpoints, loading, error, refetch } = useWebhookEndpoints();
  const catalog = useWebhookEventCatalog();
  const { href } = usePortal();
  const toast = useToast();
  // From the catalog's "Subscribe an endpoint": the form opens with that event type chosen.
  const subscribeTo = useSearchParams().get("subscribe");
  const [creating, setCreating] = useState(!!subscribeTo);
  const [created, setCreated] = useState<(EndpointResponse & { secret: string }) | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const createdNotice = useRef<HTMLDivElement>(null);
  // The form is gone once an endpoint is created: focus moves to the notice with the secret to
  // copy, once it is rendered (a frame callback could run before React had committed it).
  useEffect(() => {
    if (created) createdNotice.current?.focus();
  }, [created]);
  // "Add endpoint" leaves with the form's arrival: focus goes to the form's first field (where
  // the user would type next), never to <body>.
  const newForm = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (creating)
      newForm.current
        ?.querySelector<HTMLElement>("input:not([disabled]), textarea, select")
        ?.focus();
  }, [creating]);

  const startCreate = () => {
    setCreated(null);
    setCreating(true);
  };

  return (
    <>
      <PageHeader
        title="Endpoints"
        description="The URLs we send events to. Each one gets signed POST requests for the events it subscribes to, with automatic retries."
        actions={
          !creating ? (
            <Button ref={addButton} variant="primary" onClick={startCreate}>
              Add endpoint
            </Button>
          ) : null
        }
      />

      {creating ? (
        <Card className="mb-6 p-4 sm:p-6" ref={newForm}>
          <h2 className="mb-4 text-base font-semibold">New endpoint</h2>
          <EndpointForm
            testId="create-endpoint-form"
            initialSubscriptions={subscribeTo ? [subscribeTo] : undefined}
            catalog={catalog.eventTypes}
            catalogLoading={catalog.loading}
            submitLabel="Create endpoint"
            onCancel={() => {
              setCreating(false);
              requestAnimationFrame(() => addButton.current?.focus());
            }}
            onSubmit={async (values) => {
              const endpoint = await creation.mutateAsync(
                endpointPayload(values, "create") as CreateEndpointInput,
              );
              setCreated(endpoint);
              setCreating(false);
              toast("Endpoint created");
            }}
          />
        </Card>
      ) : null}

      {created ? (
        <div className="mb-6 focus:outline-none" ref={createdNotice} tabIndex={-1}>
          <Alert tone="ok" title="Endpoint created" data-testid="created-notice">
            <p>
              Save this signing secret in your receiver now to verify our signatures. You can reveal
              it again later from the endpoint&apos;s page.
            </p>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <code
                className="min-w-0 flex-1 rounded border border-(--hl-border) bg-(--hl-surface) px-2 py-1.5 font-mono text-xs break-all"
                data-testid="created-secret"
              >
                {created.secret}
              </code>
              <CopyButton value={created.secret} label="Copy secret" />
              <Link
                href={href(`/portal/endpoints/${created.id}`)}
                className={cx(
                  "text-sm font-medium text-(--hl-brand-text) underline-offset-2 hover:underline",
                  focusRing,
                )}
              >
                Open endpoint
              </Link>
            </div>
          </Alert>
        </div>
      ) : null}

      {loading ? (
        <LoadingBlock label="Loading endpoints…" />
      ) : error ? (
        <ErrorState
          error={error}
          title="Could not load the endpoints"
          onRetry={() => void refetch()}
        />
      ) : endpoints.length === 0 ? (
        creating ? null : (
          <EmptyState
            title="No endpoints yet"
            action={
              <Button variant="primary" onClick={startCreate}>
                Add your first endpoint
              </Button>
            }
          >
            Add the URL of a server that should receive events. You can test it right away and see
            every delivery here.
          </EmptyState>
        )
      ) : (
        <ul className="space-y-3" aria-label="Endpoints" data-testid="endpoint-list">
          {endpoints.map((e) => (
            <EndpointRow key={e.id} endpoint={e} />
          ))}
        </ul>
      )}
    </>
  );
}

function EndpointRow({ endpoint }: { endpoint: EndpointResponse }) {
  const { href } = usePortal();
  const [testing, setTesting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const toggle = useEndpointToggle(endpoint);
  const state = endpointState(endpoint);
  return (
    <li>
      <Card as="article" className="p-4" data-testid="endpoint-row" aria-label={endpoint.url}>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-center gap-2">
              <EndpointStatusBadge endpoint={endpoint} />
              <Link
                href={href(`/portal/endpoints/${endpoint.id}`)}
                className={cx(
                  "min-w-0 font-mono text-sm font-medium break-all text-(--hl-fg) underline-offset-2 hover:underline",
                  focusRing,
                )}
              >
                {endpoint.url}
              </Link>
            </div>
            {endpoint.description ? (
              <p className="mt-1 text-sm text-(--hl-muted)">{endpoint.description}</p>
            ) : null}
            {state.detail ? (
              <p
                className={cx(
                  "mt-1 text-xs",
                  state.tone === "err"
                    ? "text-(--hl-err)"
                    : state.tone === "warn"
                      ? "text-(--hl-warn)"
                      : "text-(--hl-muted)",
                )}
              >
                {state.detail}
              </p>
            ) : null}
            <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2">
              <SubscriptionChips subscriptions={endpoint.subscriptions} />
              <span className="text-xs text-(--hl-subtle)">
                Updated {formatRelative(endpoint.updated_at)}
              </span>
            </div>
          </div>
          <div className="flex shrink-0 flex-wrap gap-2">
            <Button size="sm" onClick={() => setTesting(true)} aria-label={`Test ${endpoint.url}`}>
              Test
            </Button>
            <Button
              size="sm"
              onClick={() => void toggle.toggle()}
              loading={toggle.busy}
              aria-label={`${toggle.label} ${endpoint.url}`}
            >
              {toggle.label}
            </Button>
            <Button
              size="sm"
              variant="danger-ghost"
              onClick={() => setDeleting(true)}
              aria-label={`Delete ${endpoint.url}`}
            >
              Delete
            </Button>
          </div>
        </div>
      </Card>
      <TestEndpointDialog endpoint={endpoint} open={testing} onClose={() => setTesting(false)} />
      <DeleteEndpointDialog
        endpoint={endpoint}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={() => setDeleting(false)}
      />
    </li>
  );
}
