"use client";
/**
 * The console's frame: a skip link, the navigation (a bar that wraps at phone width), who is
 * signed in and sign-out, and the query client every console page reads through. It uses the
 * portal's design tokens (`.hl-portal`), so the portal's components look the same here; the
 * theme follows the OS (`data-theme="auto"`).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { createContext, useContext, useState, type ReactNode } from "react";
import { Badge, Button, cx, focusRing } from "@/components/portal/ui";
import { ToastProvider } from "@/components/portal/toast";
import { consoleApi } from "@/components/console/api";

export interface ConsoleOperator {
  id: string;
  email: string;
  role: "admin" | "viewer";
}

const OperatorContext = createContext<ConsoleOperator | null>(null);

/** The signed-in operator. */
export function useOperator(): ConsoleOperator {
  const operator = useContext(OperatorContext);
  if (!operator) throw new Error("useOperator outside ConsoleShell");
  return operator;
}

/** Whether the operator may change things (the server refuses viewers anyway). */
export function useCanWrite(): boolean {
  return useOperator().role === "admin";
}

const NAV = [
  { href: "/console", label: "Overview" },
  { href: "/console/apps", label: "Apps" },
  { href: "/console/find", label: "Find" },
  { href: "/console/keys", label: "API keys" },
  { href: "/console/operators", label: "Operators" },
  { href: "/console/audit", label: "Audit log" },
  { href: "/console/settings", label: "Settings" },
];

export function ConsoleShell({
  operator,
  children,
}: {
  operator: ConsoleOperator;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
      }),
  );
  const [signingOut, setSigningOut] = useState(false);
  const current = (href: string) =>
    href === "/console" ? pathname === "/console" : pathname.startsWith(href);
  return (
    <QueryClientProvider client={queryClient}>
      <OperatorContext.Provider value={operator}>
        <ToastProvider>
          <a
            href="#main"
            className={cx(
              "sr-only rounded bg-(--hl-surface) px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50",
              focusRing,
            )}
          >
            Skip to content
          </a>
          <header className="border-b border-(--hl-border) bg-(--hl-surface)">
            <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
              <Link
                href="/console"
                className={cx("text-base font-semibold tracking-tight", focusRing)}
              >
                Hookline console
              </Link>
              <nav aria-label="Console" className="order-3 w-full sm:order-none sm:w-auto">
                <ul className="flex flex-wrap gap-1">
                  {NAV.map((item) => (
                    <li key={item.href}>
                      <Link
                        href={item.href}
                        aria-current={current(item.href) ? "page" : undefined}
                        className={cx(
                          "block rounded-md px-2.5 py-1.5 text-sm font-medium text-(--hl-muted) hover:bg-(--hl-surface-2) hover:text-(--hl-fg) aria-[current=page]:bg-(--hl-brand-soft) aria-[current=page]:text-(--hl-brand-text)",
                          focusRing,
                        )}
                      >
                        {item.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              <div className="ml-auto flex items-center gap-2 text-sm">
                <span className="max-w-48 truncate" data-testid="console-operator">
                  {operator.email}
                </span>
                <Badge tone={operator.role === "admin" ? "brand" : "neutral"}>
                  {operator.role}
                </Badge>
                <Button
                  size="sm"
                  variant="ghost"
                  loading={signingOut}
                  onClick={async () => {
                    setSigningOut(true);
                    try {
                      await consoleApi("/session", { method: "DELETE" });
                    } finally {
                      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: the server re-reads the session
                      window.location.assign("/console/login");
                    }
                  }}
                >
                  Sign out
                </Button>
              </div>
            </div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none">
            {children}
          </main>
        </ToastProvider>
      </OperatorContext.Provider>
    </QueryClientProvider>
  );
}
