"use client";
/** Apps: search, health at a glance, and (admins) creating one. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorState,
  LoadingBlock,
  Modal,
  PageHeader,
  TextField,
  cx,
  focusRing,
} from "@/components/portal/ui";
import { useToast } from "@/components/portal/toast";
import { errorMessage, sortFieldErrors } from "@/lib/portal/field-errors";
import type { ConsoleApp } from "@/lib/console/apps";
import type { AppResponse } from "@/lib/apps/schemas";
import { consoleApi } from "@/components/console/api";
import { useCanWrite } from "@/components/console/console-shell";

export function HealthBadges({ health }: { health: ConsoleApp["health"] }) {
  return (
    <div className="flex flex-wrap gap-1.5">
      <Badge tone="neutral">{health.deliveries_24h} deliveries / 24 h</Badge>
      {health.success_rate_24h !== null ? (
        <Badge
          tone={
            health.success_rate_24h >= 95 ? "ok" : health.success_rate_24h >= 80 ? "warn" : "err"
          }
        >
          {health.success_rate_24h}% success
        </Badge>
      ) : null}
      {health.endpoints_failing ? (
        <Badge tone="err">{health.endpoints_failing} failing</Badge>
      ) : null}
      {health.endpoints_disabled ? (
        <Badge tone="warn">{health.endpoints_disabled} disabled</Badge>
      ) : null}
      <Badge tone="neutral">{health.endpoints} endpoints</Badge>
    </div>
  );
}

function CreateAppDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation({
    mutationFn: (body: { slug: string; name: string; description?: string }) =>
      consoleApi<AppResponse>("/apps", { method: "POST", body }),
    onSuccess: (app) => {
      void queryClient.invalidateQueries({ queryKey: ["console", "apps"] });
      toast(`App ${app.slug} created`);
      onClose();
      router.push(`/console/apps/${encodeURIComponent(app.slug)}`);
    },
  });
  const { fields, rest } = sortFieldErrors(create.error, {
    slug: (f) => f === "slug" || f === "app_slug",
    name: (f) => f === "name",
    description: (f) => f === "description",
  });
  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Create an app"
      description="One app per tenant of your product; its customers see only its endpoints."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="create-app" variant="primary" loading={create.isPending}>
            Create app
          </Button>
        </>
      }
    >
      <form
        id="create-app"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const description = String(form.get("description") ?? "").trim();
          create.mutate({
            slug: String(form.get("slug") ?? ""),
            name: String(form.get("name") ?? ""),
            ...(description && { description }),
          });
        }}
      >
        {rest.length ? <Alert tone="err">{rest.join(" ")}</Alert> : null}
        <TextField
          label="Slug"
          name="slug"
          required
          hint="a-z, 0-9, _ and -, e.g. wh_acme"
          error={fields.slug}
          autoComplete="off"
        />
        <TextField label="Name" name="name" required error={fields.name} autoComplete="off" />
        <TextField
          label="Description"
          name="description"
          error={fields.description}
          autoComplete="off"
        />
      </form>
    </Modal>
  );
}

export function AppsPage() {
  const canWrite = useCanWrite();
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: ["console", "apps", q],
    queryFn: () =>
      consoleApi<{ data: ConsoleApp[]; truncated: boolean }>(
        `/apps${q ? `?q=${encodeURIComponent(q)}` : ""}`,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  return (
    <>
      <PageHeader
        title="Apps"
        docTitle="Apps · Hookline console"
        description="Each app is one tenant of your product, with its own endpoints and log."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create app
            </Button>
          ) : null
        }
      />
      <div className="mb-4 max-w-md">
        <TextField
          label="Search apps"
          type="search"
          placeholder="Slug, name or id"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      {query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <LoadingBlock label="Loading apps" />
      ) : query.data.data.length === 0 ? (
        <EmptyState title={q ? `No app matches “${q}”` : "No apps yet"}>
          {q
            ? "Try part of the slug or the name."
            : "Create the first one for a tenant of your product."}
        </EmptyState>
      ) : (
        <Card>
          <ul className="divide-y divide-(--hl-border)" aria-label="Apps">
            {query.data.data.map((app) => (
              <li key={app.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div className="min-w-0">
                  <Link
                    href={`/console/apps/${encodeURIComponent(app.slug)}`}
                    className={cx("font-medium text-(--hl-brand-text) hover:underline", focusRing)}
                  >
                    {app.name}
                  </Link>
                  <p className="font-mono text-xs text-(--hl-muted)">{app.slug}</p>
                </div>
                <HealthBadges health={app.health} />
              </li>
            ))}
          </ul>
          {query.data.truncated ? (
            <p className="p-4 text-xs text-(--hl-muted)">
              Showing the 500 newest: search to narrow.
            </p>
          ) : null}
        </Card>
      )}
      {query.isError && query.data ? (
        <Alert tone="warn" className="mt-3">
          Could not refresh: {errorMessage(query.error)}
        </Alert>
      ) : null}
      <CreateAppDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
