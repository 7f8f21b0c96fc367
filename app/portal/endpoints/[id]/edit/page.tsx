"use client";

import { useParams } from "next/navigation";
import { useUpdateEndpoint, useWebhookEventCatalog, type UpdateEndpointInput } from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { EndpointForm, endpointPayload } from "@/components/portal/endpoint-form";
import { EndpointStatusBadge } from "@/components/portal/endpoint-bits";
import { BackLink, EndpointGate } from "@/components/portal/endpoint-page";
import { DeliveryFormatPanel, SigningPanel } from "@/components/portal/signing-panel";
import { useToast } from "@/components/portal/toast";
import { Card } from "@/components/portal/ui";

/** Editing an endpoint, opened from its overview's "Edit": its settings and how it is signed. */
export default function EditEndpointPage() {
  const { id } = useParams<{ id: string }>();
  const back = (
    <BackLink to={`/portal/endpoints/${encodeURIComponent(id)}`}>Endpoint overview</BackLink>
  );
  return (
    <EndpointGate id={id} back={back}>
      {(endpoint) => (
        <>
          {back}
          <EditEndpoint endpoint={endpoint} />
        </>
      )}
    </EndpointGate>
  );
}

function EditEndpoint({ endpoint }: { endpoint: EndpointResponse }) {
  const update = useUpdateEndpoint();
  const catalog = useWebhookEventCatalog();
  const toast = useToast();
  return (
    <div data-testid="endpoint-edit">
      <title>{`Edit endpoint ${endpoint.url} · Webhooks`}</title>
      <div className="mb-6 min-w-0">
        <div className="mb-1">
          <EndpointStatusBadge endpoint={endpoint} />
        </div>
        <h1 className="text-lg font-semibold sm:text-xl">Edit endpoint</h1>
        <p className="mt-1 font-mono text-sm break-all text-(--hl-muted)">{endpoint.url}</p>
      </div>
      <div className="max-w-3xl space-y-6">
        <Card className="p-4 sm:p-6" aria-labelledby="settings-title">
          <h2 id="settings-title" className="mb-4 text-base font-semibold">
            Settings
          </h2>
          <EndpointForm
            key={endpoint.id}
            testId="edit-endpoint-form"
            initial={endpoint}
            catalog={catalog.eventTypes}
            catalogLoading={catalog.loading}
            submitLabel="Save changes"
            onSubmit={async (values) => {
              await update.mutateAsync({
                id: endpoint.id,
                input: endpointPayload(values, "edit") as UpdateEndpointInput,
              });
              toast("Endpoint saved");
            }}
          />
        </Card>
        <Card className="p-4 sm:p-6" aria-labelledby="signing-title">
          <h2 id="signing-title" className="mb-3 text-base font-semibold">
            Signing
          </h2>
          <DeliveryFormatPanel key={`${endpoint.id}-format`} endpoint={endpoint} />
          <hr className="my-4 border-(--hl-border)" />
          <SigningPanel key={endpoint.id} endpoint={endpoint} />
        </Card>
      </div>
    </div>
  );
}
