"use client";
/**
 * Short confirmations ("Endpoint saved"), announced politely to screen readers. They show at the
 * bottom of what the user sees (inside an iframe: of the part of the frame the host shows),
 * above an open dialog or drawer (rendered inside the topmost one, which would make anything
 * outside it inert), and leave when the user moves to another page.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type CSSProperties,
  type ReactNode,
} from "react";
import { createPortal } from "react-dom";
import { usePathname } from "next/navigation";
import { cx, subscribeModals, topModal } from "@/components/portal/ui";
import { measureVisibleBand, type VisibleBand } from "@/lib/portal/viewport";
import { isFramed } from "@/lib/portal/embed";

type ToastTone = "ok" | "err" | "info";
interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
  at: number;
}

/** A toast pushed this recently survives a page change: it reports what caused the change. */
const CAUSE_OF_NAVIGATION_MS = 1_500;

const ToastContext = createContext<(message: string, tone?: ToastTone) => void>(() => {});

export function useToast() {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [band, setBand] = useState<VisibleBand | null>(null);
  const next = useRef(1);
  const push = useCallback((message: string, tone: ToastTone = "ok") => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, message, tone, at: Date.now() }]);
    if (isFramed()) void measureVisibleBand().then(setBand);
  }, []);

  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  if (pathname !== shownPath) {
    setShownPath(pathname);
    setToasts((list) => {
      const now = Date.now();
      return list.filter((t) => now - t.at < CAUSE_OF_NAVIGATION_MS);
    });
  }

  const host = useSyncExternalStore(subscribeModals, topModal, () => null);
  // Beside an open drawer (on the page it covers) when there is room, not over its content.
  const drawer = host?.closest<HTMLElement>("dialog[data-variant='drawer']") ?? null;
  const drawerWidth = drawer?.getBoundingClientRect().width ?? 0;
  const beside =
    drawer && typeof window !== "undefined" && window.innerWidth - drawerWidth >= 320
      ? { right: drawerWidth }
      : undefined;
  const style: CSSProperties | undefined =
    band || beside
      ? {
          ...(band
            ? { top: band.top + band.height - 16, bottom: "auto", transform: "translateY(-100%)" }
            : {}),
          ...beside,
        }
      : undefined;
  const region = (
    <div
      aria-live="polite"
      role="status"
      style={style}
      className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
    >
      {toasts.map((t) => (
        <ToastItem
          key={t.id}
          toast={t}
          onDone={() => setToasts((list) => list.filter((x) => x.id !== t.id))}
        />
      ))}
    </div>
  );
  return (
    <ToastContext.Provider value={push}>
      {children}
      {host ? createPortal(region, host) : region}
    </ToastContext.Provider>
  );
}

/** How long a toast stays: its own clock, which another toast arriving does not restart. */
export const TOAST_MS = 4000;

function ToastItem({ toast, onDone }: { toast: Toast; onDone: () => void }) {
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  });
  useEffect(() => {
    const t = setTimeout(() => done.current(), Math.max(0, toast.at + TOAST_MS - Date.now()));
    return () => clearTimeout(t);
  }, [toast.at]);
  return (
    <div
      data-testid="toast"
      className={cx(
        "pointer-events-auto max-w-md rounded-lg border px-4 py-2.5 text-sm font-medium shadow-lg",
        "border-(--hl-border) bg-(--hl-surface) text-(--hl-fg)",
        toast.tone === "err" && "border-(--hl-err)/40 text-(--hl-err)",
      )}
    >
      {toast.tone === "ok" ? (
        <span aria-hidden="true" className="mr-2 text-(--hl-ok)">
          ✓
        </span>
      ) : null}
      {toast.message}
    </div>
  );
}
