"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime } from "@/lib/portal/format";
import { formatFilterText } from "@/lib/filters/filter-text";
import { usePortal } from "@/components/portal/portal-shell";
import {
  DeleteEndpointDialog,
  EndpointStatusBadge,
  endpointState,
  SecretPanel,
  TestEndpointDialog,
  useEndpointToggle,
} from "@/components/portal/endpoint-bits";
import {
  BackLink,
  EndpointGate,
  EndpointHealth,
  EndpointReceives,
  RecentDeliveries,
} from "@/components/portal/endpoint-page";
import { FifoBlockedNotice } from "@/components/portal/fifo-blocked";
import { Alert, Button, buttonClass, Card } from "@/components/portal/ui";
import type { EndpointResponse } from "@/lib/endpoints/schemas";

/** The endpoint's overview: what it receives, its health and recent attempts; editing is apart. */
export default function EndpointPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <EndpointGate id={id} back={<BackLink to="/portal/endpoints">Endpoints</BackLink>}>
      {(endpoint, refetch) => <Overview endpoint={endpoint} refetch={refetch} />}
    </EndpointGate>
  );
}

function Overview({ endpoint, refetch }: { endpoint: EndpointResponse; refetch: () => void }) {
  const router = useRouter();
  const { href } = usePortal();
  const toggle = useEndpointToggle(endpoint);
  const [testing, setTesting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const state = endpointState(endpoint);
  return (
    <div data-testid="endpoint-overview">
      <title>{`Endpoint ${endpoint.url} · Webhooks`}</title>
      <BackLink to="/portal/endpoints">Endpoints</BackLink>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="mb-1 flex items-center gap-2">
            <EndpointStatusBadge endpoint={endpoint} />
            <span className="text-xs text-(--hl-subtle)">
              Created {formatDateTime(endpoint.created_at)}
            </span>
          </div>
          <h1 className="font-mono text-lg font-semibold break-all sm:text-xl">{endpoint.url}</h1>
          {endpoint.description ? (
            <p className="mt-1 text-sm text-(--hl-muted)">{endpoint.description}</p>
          ) : null}
          {endpoint.filter ? (
            <p className="mt-1 text-sm text-(--hl-muted)" data-testid="endpoint-filter">
              Only events where{" "}
              <code className="font-mono break-all text-(--hl-fg)">
                {formatFilterText(endpoint.filter)}
              </code>
            </p>
          ) : null}
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <Button variant="primary" onClick={() => setTesting(true)}>
            Send test event
          </Button>
          <Link
            href={href(`/portal/endpoints/${encodeURIComponent(endpoint.id)}/edit`)}
            className={buttonClass()}
          >
            Edit
          </Link>
          <Button onClick={() => void toggle.toggle()} loading={toggle.busy}>
            {toggle.label}
          </Button>
          <Button variant="danger-ghost" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>

      {state.tone === "err" || state.tone === "warn" ? (
        <Alert
          tone={state.tone}
          title={
            state.tone === "err"
              ? "Hookline stopped sending to this endpoint"
              : "Deliveries to this endpoint are failing"
          }
          className="mb-6"
        >
          <p>{state.detail}</p>
          {state.tone === "err" ? (
            <Button
              size="sm"
              className="mt-2"
              onClick={() => void toggle.toggle()}
              loading={toggle.busy}
            >
              Re-enable
            </Button>
          ) : null}
        </Alert>
      ) : null}

      <FifoBlockedNotice endpoint={endpoint} onSkipped={refetch} />

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-3">
          <EndpointHealth endpointId={endpoint.id} />
          <RecentDeliveries endpointId={endpoint.id} />
        </div>
        <div className="space-y-6 lg:col-span-2">
          <EndpointReceives endpoint={endpoint} />
          <Card className="p-4 sm:p-6" aria-labelledby="secret-title">
            <h2 id="secret-title" className="mb-3 text-base font-semibold">
              Signing secret
            </h2>
            <SecretPanel key={endpoint.id} endpoint={endpoint} />
          </Card>
        </div>
      </div>

      <TestEndpointDialog endpoint={endpoint} open={testing} onClose={() => setTesting(false)} />
      <DeleteEndpointDialog
        endpoint={endpoint}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={() => {
          setDeleting(false);
          router.push(href("/portal/endpoints"));
        }}
      />
    </div>
  );
}
