"use client";
/** Short confirmations ("Endpoint saved"), announced politely to screen readers. */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { cx } from "@/components/portal/ui";

type ToastTone = "ok" | "err" | "info";
interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

const ToastContext = createContext<(message: string, tone?: ToastTone) => void>(() => {});

export function useToast() {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const push = useCallback((message: string, tone: ToastTone = "ok") => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, message, tone }]);
  }, []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div aria-live="polite" role="status" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDone={() => setToasts((list) => list.filter((x) => x.id !== t.id))} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDone }: { toast: Toast; onDone: () => void }) {
  useEffect(() => {
    const t = setTimeout(onDone, 4000);
    return () => clearTimeout(t);
  }, [onDone]);
  return (
    <div
      data-testid="toast"
      className={cx(
        "pointer-events-auto max-w-md rounded-lg border px-4 py-2.5 text-sm font-medium shadow-lg",
        "border-(--hl-border) bg-(--hl-surface) text-(--hl-fg)",
        toast.tone === "err" && "border-(--hl-err)/40 text-(--hl-err)",
      )}
    >
      {toast.tone === "ok" ? <span aria-hidden="true" className="mr-2 text-(--hl-ok)">✓</span> : null}
      {toast.message}
    </div>
  );
}
