"use client";
/** The audit log, newest first, filtered by actor, app, action and time; filters live in the URL. */
import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import {
  Button,
  Card,
  EmptyState,
  ErrorState,
  LoadingBlock,
  PageHeader,
  TextField,
} from "@/components/portal/ui";
import type { AuditRow } from "@/lib/console/audit";
import { consoleApi, formatTime } from "@/components/console/api";

const FILTERS = ["actor", "app", "action", "from", "to"] as const;

function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const query = useInfiniteQuery({
    queryKey: ["console", "audit", filters],
    initialPageParam: "",
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams();
      for (const f of FILTERS) {
        const v = f === "from" || f === "to" ? toIso(filters[f]) : filters[f];
        if (v) q.set(f, v);
      }
      if (pageParam) q.set("cursor", pageParam);
      return consoleApi<{ data: AuditRow[]; next_cursor: string | null }>(`/audit?${q}`);
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <>
      <PageHeader
        title="Audit log"
        docTitle="Audit log · Hookline console"
        description="Who did what: operators, API keys, the CLI and customers in the portal."
      />
      <Card className="mb-4 p-4">
        <form
          aria-label="Filter the audit log"
          className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const q = new URLSearchParams();
            for (const f of FILTERS) {
              const v = String(data.get(f) ?? "").trim();
              if (v) q.set(f, v);
            }
            router.replace(`${pathname}${q.size ? `?${q}` : ""}`);
          }}
        >
          <TextField
            label="Actor"
            name="actor"
            defaultValue={filters.actor}
            hint="e.g. operator:"
          />
          <TextField label="App" name="app" defaultValue={filters.app} hint="Slug or id" />
          <TextField
            label="Action"
            name="action"
            defaultValue={filters.action}
            hint="e.g. api_key. or app.created"
          />
          <TextField label="From" name="from" type="datetime-local" defaultValue={filters.from} />
          <TextField label="To" name="to" type="datetime-local" defaultValue={filters.to} />
          <div className="flex items-start gap-2 pt-6">
            <Button type="submit" variant="primary">
              Filter
            </Button>
          </div>
        </form>
      </Card>
      {query.isError && !query.data ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <LoadingBlock label="Loading the audit log" />
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing matches these filters" />
      ) : (
        <Card
          className="relative overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="Audit entries"
        >
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">Audit entries, newest first</caption>
            <thead className="text-xs text-(--hl-muted)">
              <tr>
                <th scope="col" className="p-3">
                  When
                </th>
                <th scope="col" className="p-3">
                  Actor
                </th>
                <th scope="col" className="p-3">
                  Action
                </th>
                <th scope="col" className="p-3">
                  App
                </th>
                <th scope="col" className="p-3">
                  Target
                </th>
                <th scope="col" className="p-3">
                  Details
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-(--hl-border)">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="p-3 whitespace-nowrap">{formatTime(r.at)}</td>
                  <td className="p-3 break-all">{r.actor}</td>
                  <td className="p-3 font-mono text-xs">{r.action}</td>
                  <td className="p-3">{r.app_slug ?? "—"}</td>
                  <td className="p-3 font-mono text-xs break-all">{r.target_id ?? "—"}</td>
                  <td className="p-3 font-mono text-xs break-all">
                    {r.details && Object.keys(r.details as object).length
                      ? JSON.stringify(r.details)
                      : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {query.hasNextPage ? (
            <div className="p-3">
              <Button loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                Show older entries
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
