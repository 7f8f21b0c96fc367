"use client";
/**
 * One app: health, endpoints, "Open portal as this customer" (a fresh ticket, opened in a new
 * tab), the embed snippet, and (admins) edit and delete with what deleting takes along.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/components/portal/confirm-dialog";
import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorState,
  LoadingBlock,
  PageHeader,
  TextField,
} from "@/components/portal/ui";
import { useToast } from "@/components/portal/toast";
import { errorMessage, sortFieldErrors } from "@/lib/portal/field-errors";
import type { AppResponse } from "@/lib/apps/schemas";
import type { AppHealth, ConsoleEndpoint } from "@/lib/console/apps";
import { consoleApi } from "@/components/console/api";
import { useCanWrite } from "@/components/console/console-shell";
import { HealthBadges } from "@/components/console/apps";

interface AppDetail extends AppResponse {
  health: AppHealth;
  endpoints: ConsoleEndpoint[];
  deletes: { endpoints: number; events: number; deliveries: number; event_types: number };
}

export function embedSnippet(origin: string, slug: string): string {
  return `<!-- Your backend (after your own auth) asks ${origin}/api/v1/session/tickets for a
     ticket: { "ticket_type": "webhook_app_access", "webhook_app_slug": "${slug}" } -->
<iframe
  id="hookline-portal"
  title="Webhook settings"
  src="${origin}/portal?ticket=TICKET&embed=1"
  allow="clipboard-write"
  style="display:block; width:100%; height:400px; border:0"
></iframe>`;
}

function EditApp({ app, onDone }: { app: AppDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (body: { name: string; description: string | null; embed_origins: string[] }) =>
      consoleApi<AppResponse>(`/apps/${encodeURIComponent(app.slug)}`, { method: "PATCH", body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["console", "app", app.slug] });
      toast("App saved");
      onDone();
    },
  });
  const { fields, rest } = sortFieldErrors(save.error, {
    name: (f) => f === "name",
    description: (f) => f === "description",
    embed_origins: (f) => f.startsWith("embed_origins"),
  });
  return (
    <form
      aria-label="Edit app"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const description = String(form.get("description") ?? "").trim();
        save.mutate({
          name: String(form.get("name") ?? ""),
          description: description || null,
          embed_origins: String(form.get("embed_origins") ?? "")
            .split(/[\s,]+/)
            .filter(Boolean),
        });
      }}
    >
      {rest.length ? <Alert tone="err">{rest.join(" ")}</Alert> : null}
      <TextField label="Name" name="name" defaultValue={app.name} required error={fields.name} />
      <TextField
        label="Description"
        name="description"
        defaultValue={app.description ?? ""}
        error={fields.description}
      />
      <TextField
        label="Embed origins"
        name="embed_origins"
        defaultValue={app.embed_origins.join(" ")}
        hint="Sites allowed to frame the portal, separated by spaces: https://app.example.com"
        error={fields.embed_origins}
      />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" loading={save.isPending}>
          Save
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

export function AppDetailPage({ id }: { id: string }) {
  const canWrite = useCanWrite();
  const router = useRouter();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [portalError, setPortalError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  const query = useQuery({
    queryKey: ["console", "app", id],
    queryFn: () => consoleApi<AppDetail>(`/apps/${encodeURIComponent(id)}`),
    refetchInterval: 15_000,
  });
  if (query.isError && !query.data)
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const app = query.data;
  if (!app) return <LoadingBlock label="Loading the app" />;
  const snippet = embedSnippet(window.location.origin, app.slug);

  async function openPortal() {
    setPortalError(null);
    // Opened now, while the click still counts as a user gesture; pointed at the portal once
    // the ticket is minted.
    const tab = window.open("about:blank", "_blank");
    try {
      const { url } = await consoleApi<{ url: string }>(
        `/apps/${encodeURIComponent(app!.slug)}/portal`,
        { method: "POST" },
      );
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
      } else window.location.assign(url);
    } catch (err) {
      tab?.close();
      setPortalError(err);
    }
  }

  return (
    <>
      <PageHeader
        title={app.name}
        docTitle={`${app.name} · Hookline console`}
        description={
          <>
            <span className="font-mono">{app.slug}</span> · {app.id}
            {app.description ? ` · ${app.description}` : ""}
          </>
        }
        actions={
          canWrite ? (
            <>
              <Button variant="primary" onClick={() => void openPortal()}>
                Open portal as this customer
              </Button>
              <Button onClick={() => setEditing(true)}>Edit</Button>
              <Button variant="danger-ghost" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </>
          ) : null
        }
      />
      {portalError ? (
        <Alert tone="err" title="Could not open the portal" className="mb-4">
          {errorMessage(portalError)}
        </Alert>
      ) : null}
      <div className="space-y-6">
        <HealthBadges health={app.health} />
        {editing ? (
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold">Edit app</h2>
            <EditApp app={app} onDone={() => setEditing(false)} />
          </Card>
        ) : null}
        <Card className="p-4">
          <h2 className="mb-3 text-sm font-semibold">Endpoints</h2>
          {app.endpoints.length === 0 ? (
            <EmptyState title="No endpoints yet">
              The customer adds them in the portal, or your backend through the API.
            </EmptyState>
          ) : (
            <ul className="divide-y divide-(--hl-border)" aria-label="Endpoints">
              {app.endpoints.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="min-w-0 font-mono text-sm break-all">{e.url}</span>
                  <Badge tone={!e.is_active ? "warn" : e.consecutive_failures ? "err" : "ok"} dot>
                    {!e.is_active
                      ? `disabled${e.disabled_reason ? ` (${e.disabled_reason})` : ""}`
                      : e.consecutive_failures
                        ? `failing (${e.consecutive_failures})`
                        : "healthy"}
                  </Badge>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card className="p-4">
          <div className="mb-3 flex items-center justify-between gap-2">
            <h2 className="text-sm font-semibold" id="embed-snippet-title">
              Embed snippet
            </h2>
            <Button
              size="sm"
              onClick={async () => {
                await navigator.clipboard.writeText(snippet);
                setCopied(true);
                toast("Snippet copied");
              }}
            >
              {copied ? "Copied" : "Copy snippet"}
            </Button>
          </div>
          <pre
            aria-labelledby="embed-snippet-title"
            tabIndex={0}
            className="overflow-x-auto rounded-md bg-(--hl-code-bg) p-3 font-mono text-xs"
            data-testid="embed-snippet"
          >
            {snippet}
          </pre>
        </Card>
      </div>
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${app.name}?`}
        confirmLabel="Delete app"
        onConfirm={async () => {
          await consoleApi(`/apps/${encodeURIComponent(app.slug)}`, { method: "DELETE" });
          toast(`App ${app.slug} deleted`);
          router.push("/console/apps");
        }}
      >
        <p>This deletes, at once and for good:</p>
        <ul className="mt-2 list-disc pl-5">
          <li>{app.deletes.endpoints} endpoints and their secrets</li>
          <li>{app.deletes.events} events</li>
          <li>{app.deletes.deliveries} deliveries and their attempts</li>
          <li>{app.deletes.event_types} event types</li>
        </ul>
      </ConfirmDialog>
    </>
  );
}
