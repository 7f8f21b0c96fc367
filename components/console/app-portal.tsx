"use client";
/**
 * An app's pages in the console are the portal's own pages, on the same hooks (lib/react) that
 * product teams get: their client sends `x-hookline-operator-app` with the console's session, so
 * the frontend API answers the operator for that app (lib/http/route.ts, withOperatorOnApp):
 * admins change what a customer could, viewers read (the server refuses their changes).
 */
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { Suspense, useCallback, useMemo, useState, type ReactNode } from "react";
import { NAV as PORTAL_NAV, PortalContextProvider } from "@/components/portal/portal-shell";
import { Alert, ErrorState, LoadingBlock, cx, focusRing } from "@/components/portal/ui";
import { OPERATOR_APP_HEADER } from "@/lib/console/operator-app";
import { createFrontendClient, HooklineProvider, useWebhookAppSession } from "@/lib/react";
import { useCanWrite } from "@/components/console/console-shell";

/** The frontend API's client, speaking for the signed-in operator about one app. */
export function operatorClient(slug: string) {
  return createFrontendClient("", (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(OPERATOR_APP_HEADER, slug);
    return fetch(input, { ...init, headers, credentials: "same-origin" });
  });
}

function appPath(slug: string): string {
  return `/console/apps/${encodeURIComponent(slug)}`;
}

const TABS = [
  { path: "", label: "Summary" },
  ...PORTAL_NAV.map((page) => ({ path: page.href.replace(/^\/portal/, ""), label: page.label })),
];

/** The app's tabs, and the hooks' provider every tab shares (its own query cache, one per app). */
export function AppPages({ slug, children }: { slug: string; children: ReactNode }) {
  const pathname = usePathname();
  const [client] = useState(() => operatorClient(slug));
  const base = appPath(slug);
  return (
    <HooklineProvider client={client}>
      <nav aria-label="App" className="-mx-1 mb-4 overflow-x-auto">
        <ul className="flex gap-1 border-b border-(--hl-border) px-1">
          {TABS.map((tab) => {
            const href = base + tab.path;
            const active = tab.path
              ? pathname === href || pathname.startsWith(`${href}/`)
              : pathname === href;
            return (
              <li key={tab.label} className="shrink-0">
                <Link
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={cx(
                    "-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium",
                    active
                      ? "border-(--hl-brand) text-(--hl-fg)"
                      : "border-transparent text-(--hl-muted) hover:text-(--hl-fg)",
                    focusRing,
                  )}
                >
                  {tab.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {children}
    </HooklineProvider>
  );
}

/** One of the portal's pages, for the app of the URL, with the portal's context. */
export function PortalView({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<LoadingBlock label="Loading…" />}>
      <PortalFrame>{children}</PortalFrame>
    </Suspense>
  );
}

function PortalFrame({ children }: { children: ReactNode }) {
  const { slug } = useParams<{ slug: string }>();
  const canWrite = useCanWrite();
  const session = useWebhookAppSession(null);
  const app = session.webhookApp;
  const decoded = decodeURIComponent(slug);
  // The portal's links (`/portal/endpoints/...`) lead to the same page here.
  const href = useCallback(
    (path: string) => path.replace(/^\/portal(?=[/?#]|$)/, appPath(decoded)),
    [decoded],
  );
  const ctx = useMemo(() => (app ? { app, embed: false, href } : null), [app, href]);
  if (session.sessionError && !app)
    return <ErrorState error={session.sessionError} title="Could not open this app" />;
  if (!ctx) return <LoadingBlock label="Loading the app…" />;
  return (
    <PortalContextProvider value={ctx}>
      <p className="mb-2 text-sm text-(--hl-muted)">
        {app!.name} · <span className="font-mono">{app!.slug}</span>
      </p>
      {canWrite ? null : (
        <Alert tone="info" className="mb-4">
          You are a viewer: you see what the customer sees; changes are refused.
        </Alert>
      )}
      {children}
    </PortalContextProvider>
  );
}
