"use client";
/** Find deliveries in every app by id, idempotency key, endpoint URL or payload condition. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { DeliveryStatusBadge, HttpCode } from "@/components/portal/delivery-bits";
import {
  Button,
  Card,
  EmptyState,
  ErrorState,
  LoadingBlock,
  PageHeader,
  SelectField,
  TextField,
  cx,
  focusRing,
} from "@/components/portal/ui";
import { fieldErrorsOf } from "@/lib/portal/field-errors";
import type { FindKind, FoundDelivery } from "@/lib/console/find";
import { consoleApi, formatTime } from "@/components/console/api";

const KINDS: { value: FindKind; label: string; hint: string }[] = [
  { value: "event_id", label: "Event id", hint: "msg_... as the trigger answered" },
  { value: "delivery_id", label: "Delivery id", hint: "dlv_..., the webhook-id header" },
  { value: "idempotency_key", label: "Idempotency key", hint: "The Idempotency-Key sent" },
  { value: "endpoint_url", label: "Endpoint URL", hint: "Any part of the URL" },
  { value: "payload", label: "Payload condition", hint: 'e.g. customer.id = "cus_123"' },
];

export function FindPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const kind = (params.get("kind") as FindKind | null) ?? "event_id";
  const q = params.get("q") ?? "";
  const query = useQuery({
    queryKey: ["console", "find", kind, q],
    queryFn: () =>
      consoleApi<{ data: FoundDelivery[] }>(`/find?${new URLSearchParams({ kind, q }).toString()}`),
    enabled: q.trim().length > 0,
  });
  const qError = fieldErrorsOf(query.error).find((f) => f.field === "q")?.message;
  return (
    <>
      <PageHeader
        title="Find"
        docTitle="Find · Hookline console"
        description="Deliveries in every app, newest first (at most 50)."
      />
      <Card className="mb-4 p-4">
        <form
          role="search"
          aria-label="Find deliveries"
          className="flex flex-wrap items-start gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const next = new URLSearchParams({
              kind: String(data.get("kind")),
              q: String(data.get("q") ?? "").trim(),
            });
            router.replace(`${pathname}?${next}`);
          }}
        >
          <SelectField label="Find by" name="kind" defaultValue={kind}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Search for"
            name="q"
            defaultValue={q}
            required
            className="min-w-64 flex-1"
            hint={KINDS.find((k) => k.value === kind)?.hint}
            error={qError}
            autoComplete="off"
          />
          <div className="pt-6">
            <Button type="submit" variant="primary">
              Find
            </Button>
          </div>
        </form>
      </Card>
      {!q ? null : query.isError && !qError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.isPending ? (
        <LoadingBlock label="Searching" />
      ) : !query.data || query.data.data.length === 0 ? (
        <EmptyState title="No delivery found">
          Check the id, or try another kind of search.
        </EmptyState>
      ) : (
        <Card
          className="relative overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="Deliveries found"
        >
          <table className="w-full text-left text-sm" data-testid="find-results">
            <caption className="sr-only">Deliveries found</caption>
            <thead className="text-xs text-(--hl-muted)">
              <tr>
                <th scope="col" className="p-3">
                  Delivery
                </th>
                <th scope="col" className="p-3">
                  App
                </th>
                <th scope="col" className="p-3">
                  Event
                </th>
                <th scope="col" className="p-3">
                  Endpoint
                </th>
                <th scope="col" className="p-3">
                  Status
                </th>
                <th scope="col" className="p-3">
                  Created
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-(--hl-border)">
              {query.data.data.map((d) => (
                <tr key={d.id}>
                  <td className="p-3 font-mono text-xs">{d.id}</td>
                  <td className="p-3">
                    <Link
                      href={`/console/apps/${encodeURIComponent(d.app_slug)}`}
                      className={cx("text-(--hl-brand-text) hover:underline", focusRing)}
                    >
                      {d.app_name}
                    </Link>
                  </td>
                  <td className="p-3">
                    <span className="block">{d.event_name}</span>
                    <span className="font-mono text-xs text-(--hl-muted)">{d.event_id}</span>
                  </td>
                  <td className="p-3 font-mono text-xs break-all">{d.endpoint_url}</td>
                  <td className="p-3">
                    <span className="flex items-center gap-2">
                      <DeliveryStatusBadge
                        status={d.status as Parameters<typeof DeliveryStatusBadge>[0]["status"]}
                      />
                      <HttpCode code={d.last_status_code} />
                    </span>
                  </td>
                  <td className="p-3 whitespace-nowrap">{formatTime(d.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
