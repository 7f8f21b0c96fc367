"use client";
/** What this server runs with, read-only, and where each value comes from. */
import { useQuery } from "@tanstack/react-query";
import { Badge, Card, ErrorState, LoadingBlock, PageHeader } from "@/components/portal/ui";
import type { Setting } from "@/lib/console/settings";
import { consoleApi } from "@/components/console/api";

export function SettingsPage() {
  const query = useQuery({
    queryKey: ["console", "settings"],
    queryFn: () => consoleApi<{ data: Setting[] }>("/settings"),
  });
  const groups = [...new Set(query.data?.data.map((s) => s.group))];
  return (
    <>
      <PageHeader
        title="Settings"
        docTitle="Settings · Hookline console"
        description="Read from the environment when the server started: change them there and restart."
      />
      {query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data ? (
        <LoadingBlock label="Loading settings" />
      ) : (
        <div className="space-y-6">
          {groups.map((group) => (
            <Card
              key={group}
              className="relative overflow-x-auto"
              tabIndex={0}
              role="region"
              aria-label={group}
            >
              <table className="w-full text-left text-sm">
                <caption className="p-3 text-left text-sm font-semibold">{group}</caption>
                <thead className="text-xs text-(--hl-muted)">
                  <tr>
                    <th scope="col" className="p-3">
                      Setting
                    </th>
                    <th scope="col" className="p-3">
                      Value
                    </th>
                    <th scope="col" className="p-3">
                      From
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-(--hl-border)">
                  {query.data.data
                    .filter((s) => s.group === group)
                    .map((s) => (
                      <tr key={s.env}>
                        <th scope="row" className="p-3 font-medium">
                          {s.label}
                        </th>
                        <td className="p-3 font-mono text-xs break-all">{s.value}</td>
                        <td className="p-3">
                          <code className="font-mono text-xs">{s.env}</code>{" "}
                          <Badge tone={s.source === "environment" ? "info" : "neutral"}>
                            {s.source}
                          </Badge>
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
