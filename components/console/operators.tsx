"use client";
/** Operators: admins add one (a one-time password shown once), change a role, remove one. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/portal/confirm-dialog";
import {
  Alert,
  Badge,
  Button,
  Card,
  ErrorState,
  LoadingBlock,
  PageHeader,
  SelectField,
  TextField,
} from "@/components/portal/ui";
import { useToast } from "@/components/portal/toast";
import { errorMessage, sortFieldErrors } from "@/lib/portal/field-errors";
import { consoleApi, formatTime } from "@/components/console/api";
import { useCanWrite, useOperator } from "@/components/console/console-shell";
import { CreateFormCard } from "@/components/console/create-form-card";

interface OperatorRow {
  id: string;
  email: string;
  role: "admin" | "viewer";
  createdAt: string;
  lockedUntil: string | null;
}

export function OperatorsPage() {
  const canWrite = useCanWrite();
  const me = useOperator();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [removing, setRemoving] = useState<OperatorRow | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["console", "operators"] });
  const query = useQuery({
    queryKey: ["console", "operators"],
    queryFn: () => consoleApi<{ data: OperatorRow[] }>("/operators"),
  });
  const create = useMutation({
    mutationFn: (body: { email: string; role: string }) =>
      consoleApi<{ operator: OperatorRow; password: string }>("/operators", {
        method: "POST",
        body,
      }),
    onSuccess: ({ operator, password }) => {
      setCreated({ email: operator.email, password });
      void refresh();
    },
  });
  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: string }) =>
      consoleApi(`/operators/${encodeURIComponent(id)}`, { method: "PATCH", body: { role } }),
    onSuccess: () => {
      toast("Role changed");
      void refresh();
    },
  });
  const { fields, rest } = sortFieldErrors(create.error, {
    email: (f) => f === "email",
    role: (f) => f === "role",
  });
  return (
    <>
      <PageHeader
        title="Operators"
        docTitle="Operators · Hookline console"
        description="People who run this Hookline. Admins change things; viewers only look."
      />
      {canWrite ? (
        <CreateFormCard
          title="Add an operator"
          submitLabel="Add operator"
          pending={create.isPending}
          errors={rest}
          onSubmit={(data, done) =>
            create.mutate(
              { email: String(data.get("email") ?? ""), role: String(data.get("role")) },
              { onSuccess: done },
            )
          }
          created={
            created ? (
              <Alert tone="ok" title={`${created.email} added`} className="mt-3">
                <p>Give them this one-time password (shown once):</p>
                <code className="font-mono text-xs break-all" data-testid="new-operator-password">
                  {created.password}
                </code>
              </Alert>
            ) : null
          }
        >
          <TextField
            label="Email"
            name="email"
            type="email"
            required
            error={fields.email}
            className="min-w-64 flex-1"
            autoComplete="off"
          />
          <SelectField label="Role" name="role" defaultValue="viewer" error={fields.role}>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </SelectField>
        </CreateFormCard>
      ) : null}
      {changeRole.isError ? (
        <Alert tone="err" className="mb-3">
          {errorMessage(changeRole.error)}
        </Alert>
      ) : null}
      {query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <LoadingBlock label="Loading operators" />
      ) : (
        <Card>
          <ul className="divide-y divide-(--hl-border)" aria-label="Operators">
            {query.data.data.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div className="min-w-0">
                  <p className="font-medium">
                    {o.email} {o.id === me.id ? <Badge tone="info">you</Badge> : null}
                  </p>
                  <p className="text-xs text-(--hl-muted)">
                    Added {formatTime(o.createdAt)}
                    {o.lockedUntil && new Date(o.lockedUntil) > new Date()
                      ? ` · locked until ${formatTime(o.lockedUntil)}`
                      : ""}
                  </p>
                </div>
                {canWrite ? (
                  <div className="flex items-end gap-2">
                    <SelectField
                      label={`Role of ${o.email}`}
                      labelHidden
                      value={o.role}
                      onChange={(e) => changeRole.mutate({ id: o.id, role: e.target.value })}
                    >
                      <option value="viewer">viewer</option>
                      <option value="admin">admin</option>
                    </SelectField>
                    <Button
                      variant="danger-ghost"
                      aria-label={`Remove ${o.email}`}
                      onClick={() => setRemoving(o)}
                    >
                      Remove
                    </Button>
                  </div>
                ) : (
                  <Badge tone={o.role === "admin" ? "brand" : "neutral"}>{o.role}</Badge>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <ConfirmDialog
        open={!!removing}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.email ?? ""}?`}
        confirmLabel="Remove operator"
        onConfirm={async () => {
          await consoleApi(`/operators/${encodeURIComponent(removing!.id)}`, {
            method: "DELETE",
          });
          toast(`${removing!.email} removed`);
          setRemoving(null);
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: the server re-reads the session
          if (removing!.id === me.id) window.location.assign("/console/login");
          else void refresh();
        }}
      >
        <p>They are signed out everywhere at once and can no longer sign in.</p>
      </ConfirmDialog>
    </>
  );
}
