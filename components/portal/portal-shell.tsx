"use client";
/**
 * The hosted portal's frame: the Hookline hooks provider, the ticket exchange (any portal URL may
 * carry `?ticket=`; it is dropped from the URL once used), the session gate, theme and brand
 * colour, the navigation (compact tabs with `?embed=1`, none with `&nav=0`), focus on the main
 * heading after a page change and, inside an iframe, the height messages to the parent window
 * and the host's viewport messages (lib/portal/viewport.ts).
 */
import { QueryCache, QueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from "react";
import { HooklineProvider, useWebhookAppSession } from "@/lib/react";
import { HooklineError } from "@/lib/sdk/errors";
import { isRetryableError } from "@/lib/portal/field-errors";
import type { AppResponse } from "@/lib/apps/schemas";
import {
  isEmbed,
  isFramed,
  postHeightToParent,
  postToParent,
  readableOn,
  rememberEmbedOrigins,
  resolveBrandColor,
  resolveTheme,
  withKeptParams,
  type PortalTheme,
} from "@/lib/portal/embed";
import type { InitialBranding } from "@/lib/portal/initial-branding";
import { listenToHost } from "@/lib/portal/viewport";
import { AccessNeeded, type AccessReason } from "@/components/portal/access-needed";
import { LeaveDialog } from "@/components/portal/leave-dialog";
import { ToastProvider } from "@/components/portal/toast";
import { cx, focusRing, LoadingBlock, Skeleton } from "@/components/portal/ui";

export interface PortalContextValue {
  app: AppResponse;
  embed: boolean;
  /** A portal path with the embedding parameters (theme, embed) kept. */
  href: (path: string) => string;
}

const PortalContext = createContext<PortalContextValue | null>(null);

/** For the portal's pages shown elsewhere: the operator console's app pages. */
export const PortalContextProvider = PortalContext.Provider;

export function usePortal(): PortalContextValue {
  const ctx = useContext(PortalContext);
  if (!ctx) throw new Error("usePortal must be used inside the portal shell");
  return ctx;
}

/** The portal's pages (the console's app pages show the same, components/console/app-portal). */
export const NAV = [
  { href: "/portal/endpoints", label: "Endpoints" },
  { href: "/portal/deliveries", label: "Deliveries" },
  { href: "/portal/replay", label: "Replay" },
  { href: "/portal/analytics", label: "Analytics" },
  { href: "/portal/catalog", label: "Event catalog" },
] as const;

/** Pages that only exchange the ticket and move on. */
const ENTRY_PATHS = new Set(["/portal", "/portal/exchange"]);
const HOME = "/portal/endpoints";
const AUTH_LOST = "hookline:auth-lost";

export function PortalShell({
  initial,
  children,
}: {
  initial: InitialBranding | null;
  children: ReactNode;
}) {
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    const lost = () => setExpired(true);
    window.addEventListener(AUTH_LOST, lost);
    return () => window.removeEventListener(AUTH_LOST, lost);
  }, []);
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (err, query) => {
            // A call that finds the session gone (expired, ended in another tab).
            if (
              err instanceof HooklineError &&
              err.status === 401 &&
              query.queryKey[1] !== "session" &&
              query.queryKey[1] !== "exchange"
            ) {
              window.dispatchEvent(new Event(AUTH_LOST));
            }
          },
        }),
        defaultOptions: {
          queries: {
            retry: (count, err) =>
              !(err instanceof HooklineError && err.status > 0 && err.status < 500) && count < 2,
            refetchOnWindowFocus: false,
            staleTime: 5_000,
          },
        },
      }),
  );
  return (
    <HooklineProvider baseUrl="" queryClient={queryClient}>
      <Frame initial={initial} expired={expired} onRenewed={() => setExpired(false)}>
        {children}
      </Frame>
    </HooklineProvider>
  );
}

function Frame({
  initial,
  expired,
  onRenewed,
  children,
}: {
  initial: InitialBranding | null;
  expired: boolean;
  onRenewed: () => void;
  children: ReactNode;
}) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const embed = isEmbed(searchParams.get("embed"));
  const hideNav = embed && searchParams.get("nav") === "0";
  const urlTicket = searchParams.get("ticket");

  // The ticket is kept after it leaves the URL, so the outcome of its exchange stays visible.
  const [ticket, setTicket] = useState<string | null>(urlTicket);
  if (urlTicket && urlTicket !== ticket) setTicket(urlTicket);
  const [ended, setEnded] = useState(false);
  const session = useWebhookAppSession(ticket);
  const app = session.webhookApp;

  useEffect(() => {
    if (session.hasSession && expired) onRenewed();
  }, [session.hasSession, expired, onRenewed]);

  // Drop the ticket from the URL once it is spent (or refused); leave entry pages for Endpoints.
  // A refusal that is not the ticket's fault (rate limited, server or network down) leaves the
  // ticket unspent: it stays in the URL so that Reload tries it again.
  const retryable = isRetryableError(session.sessionError);
  const settled =
    !session.sessionLoading &&
    (session.hasSession || (!!session.sessionError && !retryable) || !ticket);
  useEffect(() => {
    if (!settled) return;
    const params = new URLSearchParams(searchParams.toString());
    const hadTicket = params.has("ticket");
    params.delete("ticket");
    const query = params.toString();
    if (session.hasSession && ENTRY_PATHS.has(pathname)) {
      router.replace(withKeptParams(HOME, params));
    } else if (hadTicket) {
      router.replace(query ? `${pathname}?${query}` : pathname);
    }
  }, [settled, session.hasSession, pathname, searchParams, router]);

  const theme: PortalTheme = resolveTheme(searchParams, app?.branding.theme ?? initial?.theme);
  const brand = resolveBrandColor(
    searchParams,
    app?.branding.primary_color ?? initial?.primaryColor,
  );
  const style = useMemo(
    () =>
      brand
        ? ({ "--hl-brand": brand, "--hl-brand-fg": readableOn(brand) } as CSSProperties)
        : undefined,
    [brand],
  );

  const [framed, setFramed] = useState(false);
  useLayoutEffect(() => {
    // Known only in the browser; decides the height messages and the full-height layout.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFramed(isFramed());
  }, []);

  const rootRef = useRef<HTMLDivElement>(null);
  const embedOrigins = app ? app.embed_origins : null;
  useResizeMessages(rootRef, framed, embedOrigins);
  useEffect(() => (framed ? listenToHost() : undefined), [framed]);
  useFocusHeadingOnNavigate(pathname);

  const access: AccessReason | null = ended
    ? "ended"
    : expired
      ? "session_expired"
      : session.sessionLoading || session.hasSession
        ? null
        : ticket && session.sessionError && !retryable
          ? "invalid_ticket"
          : session.sessionError
            ? "unavailable"
            : "no_ticket";

  useEffect(() => {
    if (access === "no_ticket" || access === "invalid_ticket" || access === "session_expired") {
      postToParent({ type: "hookline:access-needed", reason: access }, null);
    }
  }, [access]);
  useEffect(() => {
    if (app) postToParent({ type: "hookline:navigate", path: pathname }, embedOrigins);
  }, [app, pathname, embedOrigins]);

  const href = useCallback((path: string) => withKeptParams(path, searchParams), [searchParams]);
  const ctx = useMemo(() => (app ? { app, embed, href } : null), [app, embed, href]);
  const name = app?.name ?? initial?.name ?? null;
  const logo = app ? (app.branding.logo_url ?? null) : (initial?.logoUrl ?? null);
  const entryPage = ENTRY_PATHS.has(pathname);

  let body: ReactNode;
  if (access) {
    body = <AccessNeeded reason={access} error={session.sessionError} />;
  } else if (!ctx || (entryPage && session.hasSession)) {
    body = <LoadingBlock label={ticket ? "Opening your webhook settings…" : "Loading…"} rows={4} />;
  } else {
    body = (
      <PortalContext.Provider value={ctx}>
        {children}
        <LeaveDialog />
      </PortalContext.Provider>
    );
  }

  return (
    <div
      ref={rootRef}
      className={cx(
        "hl-portal flex flex-col font-sans text-[15px] antialiased",
        !framed && "min-h-screen",
      )}
      data-theme={theme}
      data-framed={framed ? "true" : "false"}
      data-embed={embed ? "true" : "false"}
      style={style}
    >
      <ToastProvider>
        {access || !ctx ? <title>{name ? `Webhooks · ${name}` : "Webhooks"}</title> : null}
        <a
          href="#portal-main"
          className={cx(
            "sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-(--hl-surface) focus:px-3 focus:py-2",
            focusRing,
          )}
        >
          Skip to content
        </a>
        {embed ? (
          !hideNav && app && !access && !entryPage ? (
            <nav
              aria-label="Webhooks"
              className="mx-auto w-full max-w-6xl border-b border-(--hl-border) px-2 sm:px-4"
            >
              <NavTabs pathname={pathname} href={href} compact />
            </nav>
          ) : null
        ) : (
          <Header
            name={name}
            logo={logo}
            loading={!app && !access}
            showNav={!!app && !access && !entryPage}
            pathname={pathname}
            href={href}
            onEnd={
              app
                ? async () => {
                    await session.endSession();
                    setEnded(true);
                  }
                : undefined
            }
          />
        )}
        <main
          id="portal-main"
          tabIndex={-1}
          className={cx(
            "mx-auto w-full max-w-6xl flex-1 px-4 sm:px-6",
            embed ? "py-4" : "py-6 sm:py-8",
            "focus:outline-none",
          )}
        >
          {body}
        </main>
        {!embed && !framed ? (
          <footer className="mx-auto w-full max-w-6xl px-4 pb-6 text-xs text-(--hl-subtle) sm:px-6">
            Webhooks delivered by Hookline
          </footer>
        ) : null}
      </ToastProvider>
    </div>
  );
}

function Header({
  name,
  logo,
  loading,
  showNav,
  pathname,
  href,
  onEnd,
}: {
  name: string | null;
  logo: string | null;
  loading: boolean;
  showNav: boolean;
  pathname: string;
  href: (p: string) => string;
  onEnd?: () => Promise<void>;
}) {
  const [logoFailed, setLogoFailed] = useState(false);
  return (
    <header className="border-b border-(--hl-border) bg-(--hl-surface)">
      <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 pt-4 sm:px-6">
        {logo && !logoFailed ? (
          // eslint-disable-next-line @next/next/no-img-element -- the app's own logo URL, any host
          <img
            src={logo}
            alt=""
            className="h-7 w-7 rounded object-contain"
            referrerPolicy="no-referrer"
            onError={() => setLogoFailed(true)}
          />
        ) : (
          <span
            aria-hidden="true"
            className="grid h-7 w-7 place-items-center rounded-md bg-(--hl-brand) text-sm font-bold text-(--hl-brand-fg)"
          >
            {(name ?? "W").slice(0, 1).toUpperCase()}
          </span>
        )}
        <div className="min-w-0 flex-1">
          {loading && !name ? (
            <Skeleton className="h-5 w-40" />
          ) : (
            <p className="text-sm font-semibold break-words" data-testid="portal-app-name">
              {name ?? "Webhooks"}
              {name ? <span className="ml-2 font-normal text-(--hl-muted)">Webhooks</span> : null}
            </p>
          )}
        </div>
        {onEnd ? (
          <button
            type="button"
            onClick={() => void onEnd()}
            className={cx(
              "rounded-md px-2 py-1 text-xs text-(--hl-muted) hover:bg-(--hl-surface-2) hover:text-(--hl-fg)",
              focusRing,
            )}
          >
            End session
          </button>
        ) : null}
      </div>
      <nav aria-label="Webhooks" className="mx-auto max-w-6xl px-2 sm:px-4">
        {showNav ? <NavTabs pathname={pathname} href={href} /> : <div className="h-3" />}
      </nav>
    </header>
  );
}

/**
 * The portal's pages as tabs, on one line (a narrow screen scrolls them sideways rather than
 * wrapping them onto a second line).
 */
function NavTabs({
  pathname,
  href,
  compact = false,
}: {
  pathname: string;
  href: (p: string) => string;
  compact?: boolean;
}) {
  return (
    <ul
      className={cx(
        "-mb-px flex flex-nowrap gap-x-1 overflow-x-auto [scrollbar-width:none]",
        compact ? "pt-1" : "pt-2",
      )}
    >
      {NAV.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <li key={item.href} className="shrink-0">
            <Link
              href={href(item.href)}
              aria-current={active ? "page" : undefined}
              className={cx(
                "inline-block rounded-t-md border-b-2 text-sm font-medium whitespace-nowrap",
                compact ? "px-2.5 py-2" : "px-3 py-2.5",
                active
                  ? "border-(--hl-brand) text-(--hl-fg)"
                  : "border-transparent text-(--hl-muted) hover:border-(--hl-border-strong) hover:text-(--hl-fg)",
                focusRing,
              )}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * After the user moves to another page, focus goes to its main heading (once it is rendered),
 * so keyboard and screen reader users start on the new page rather than on <body> or on the
 * link they left. Not on the first page (focus stays with the host page) nor when a dialog has
 * focus (a deep link that opens the drawer).
 */
function useFocusHeadingOnNavigate(pathname: string) {
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const from = previous.current;
    previous.current = pathname;
    if (from === null || from === pathname || ENTRY_PATHS.has(from)) return;
    const main = document.getElementById("portal-main");
    if (!main) return;
    const tryFocus = () => {
      const active = document.activeElement;
      if (active?.closest("dialog[open]")) return true;
      const heading = main.querySelector<HTMLElement>("h1");
      if (!heading) return false;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.classList.add("focus:outline-none");
      heading.focus({ preventScroll: isFramed() });
      return true;
    };
    if (tryFocus()) return;
    const observer = new MutationObserver(() => {
      if (tryFocus()) stop();
    });
    const timer = setTimeout(() => stop(), 10_000);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
    };
    observer.observe(main, { childList: true, subtree: true });
    return stop;
  }, [pathname]);
}

/**
 * Inside an iframe, posts `{ type: "hookline:resize", height }` (and svix-react's
 * `svix.iframe-resizer-height`) whenever the content's height changes (including an open dialog
 * that reaches past it), so the host can size the frame.
 */
function useResizeMessages(
  rootRef: React.RefObject<HTMLDivElement | null>,
  framed: boolean,
  embedOrigins: string[] | null,
) {
  const origins = useRef(embedOrigins);
  useEffect(() => {
    origins.current = embedOrigins;
    rememberEmbedOrigins(embedOrigins);
  }, [embedOrigins]);
  useEffect(() => {
    const root = rootRef.current;
    if (!framed || !root) return;
    let last = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const post = () => {
      timer = undefined;
      let height = root.getBoundingClientRect().height;
      for (const dialog of root.querySelectorAll("dialog[open]")) {
        height = Math.max(height, dialog.getBoundingClientRect().bottom + 16);
      }
      height = Math.ceil(height);
      if (height !== last) {
        last = height;
        postHeightToParent(height, origins.current);
      }
    };
    // Batched on a timer, not a frame callback: Chromium runs no frame callbacks (nor resize
    // observations) in a cross-site frame that is off screen, so a frame first shown below the
    // fold would keep its first height until scrolled to. DOM changes (data arriving) are seen
    // by the MutationObserver, and the measurement forces layout, so it is right even there.
    const measure = () => {
      timer ??= setTimeout(post, 0);
    };
    const resize = new ResizeObserver(measure);
    resize.observe(root);
    const watchDialogs = () => root.querySelectorAll("dialog").forEach((d) => resize.observe(d));
    watchDialogs();
    const mutations = new MutationObserver(() => {
      watchDialogs();
      measure();
    });
    mutations.observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    // Late images (the logo), fonts and window size changes move the height without a mutation.
    window.addEventListener("load", measure);
    window.addEventListener("resize", measure);
    root.addEventListener("load", measure, true);
    void document.fonts?.ready.then(measure);
    postToParent({ type: "hookline:ready", path: window.location.pathname }, null);
    measure();
    return () => {
      clearTimeout(timer);
      resize.disconnect();
      mutations.disconnect();
      window.removeEventListener("load", measure);
      window.removeEventListener("resize", measure);
      root.removeEventListener("load", measure, true);
    };
  }, [framed, rootRef]);
  // The targets may narrow once the session is known: post the height again to them.
  useEffect(() => {
    const root = rootRef.current;
    if (framed && root && embedOrigins)
      postHeightToParent(Math.ceil(root.getBoundingClientRect().height), embedOrigins);
  }, [framed, rootRef, embedOrigins]);
}
