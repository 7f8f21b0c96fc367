"use client";
/** Backend API keys: create (the key is shown once), list with last use, revoke. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
import { sortFieldErrors } from "@/lib/portal/field-errors";
import { consoleApi, formatTime } from "@/components/console/api";
import { useCanWrite } from "@/components/console/console-shell";
import { CreateFormCard } from "@/components/console/create-form-card";

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function KeysPage() {
  const canWrite = useCanWrite();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const query = useQuery({
    queryKey: ["console", "keys"],
    queryFn: () => consoleApi<{ data: ApiKeyRow[] }>("/keys"),
  });
  const create = useMutation({
    mutationFn: (name: string) =>
      consoleApi<{ apiKey: ApiKeyRow; key: string }>("/keys", { method: "POST", body: { name } }),
    onSuccess: ({ apiKey, key }) => {
      setCreated({ name: apiKey.name, key });
      void queryClient.invalidateQueries({ queryKey: ["console", "keys"] });
    },
  });
  const { fields, rest } = sortFieldErrors(create.error, { name: (f) => f === "name" });
  return (
    <>
      <PageHeader
        title="API keys"
        docTitle="API keys · Hookline console"
        description="Keys your backend uses for the API (Authorization: Bearer hk_...). Only a hash is kept."
      />
      {canWrite ? (
        <CreateFormCard
          title="Create a key"
          submitLabel="Create key"
          pending={create.isPending}
          errors={rest}
          onSubmit={(data, done) =>
            create.mutate(String(data.get("name") ?? ""), { onSuccess: done })
          }
          created={
            created ? (
              <Alert tone="ok" title={`Key “${created.name}” created`} className="mt-3">
                <p>Copy it now: it is shown this once and cannot be seen again.</p>
                <div className="mt-2 flex flex-wrap items-center gap-2">
                  <code className="font-mono text-xs break-all" data-testid="new-api-key">
                    {created.key}
                  </code>
                  <Button
                    size="sm"
                    onClick={async () => {
                      await navigator.clipboard.writeText(created.key);
                      toast("Key copied");
                    }}
                  >
                    Copy key
                  </Button>
                </div>
              </Alert>
            ) : null
          }
        >
          <TextField
            label="Name"
            name="name"
            required
            hint="Who uses it, e.g. billing-backend"
            error={fields.name}
            className="min-w-64 flex-1"
            autoComplete="off"
          />
        </CreateFormCard>
      ) : null}
      {query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <LoadingBlock label="Loading keys" />
      ) : query.data.data.length === 0 ? (
        <EmptyState title="No API keys yet" />
      ) : (
        <Card className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="API keys">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="text-xs text-(--hl-muted)">
              <tr>
                <th scope="col" className="p-3">
                  Name
                </th>
                <th scope="col" className="p-3">
                  Key
                </th>
                <th scope="col" className="p-3">
                  Created
                </th>
                <th scope="col" className="p-3">
                  Last used
                </th>
                <th scope="col" className="p-3">
                  Status
                </th>
                {canWrite ? (
                  <th scope="col" className="p-3">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-(--hl-border)">
              {query.data.data.map((k) => (
                <tr key={k.id} data-testid={`key-${k.name}`}>
                  <td className="p-3 font-medium">{k.name}</td>
                  <td className="p-3 font-mono text-xs">{k.prefix}…</td>
                  <td className="p-3">{formatTime(k.createdAt)}</td>
                  <td className="p-3">{k.lastUsedAt ? formatTime(k.lastUsedAt) : "never"}</td>
                  <td className="p-3">
                    {k.revokedAt ? (
                      <Badge tone="neutral">revoked</Badge>
                    ) : (
                      <Badge tone="ok">active</Badge>
                    )}
                  </td>
                  {canWrite ? (
                    <td className="p-3 text-right">
                      {!k.revokedAt ? (
                        <Button
                          size="sm"
                          variant="danger-ghost"
                          aria-label={`Revoke ${k.name}`}
                          onClick={() => setRevoking(k)}
                        >
                          Revoke
                        </Button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <ConfirmDialog
        open={!!revoking}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke key"
        onConfirm={async () => {
          await consoleApi(`/keys/${encodeURIComponent(revoking!.id)}`, { method: "DELETE" });
          await queryClient.invalidateQueries({ queryKey: ["console", "keys"] });
          toast(`Key ${revoking!.name} revoked`);
          setRevoking(null);
        }}
      >
        <p>Requests with this key are refused from now on. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
