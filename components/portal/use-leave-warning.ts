"use client";
import { useEffect, useSyncExternalStore } from "react";

export const LEAVE_MESSAGE = "You have unsaved changes. Leave this page and lose them?";

/** The portal page a click wanted to open while edits were unsaved (asked in LeaveDialog). */
let pendingLeave: string | null = null;
const listeners = new Set<() => void>();
function setPendingLeave(href: string | null) {
  pendingLeave = href;
  listeners.forEach((l) => l());
}

/** The page waiting for the user's answer, and the answer (leave: go there; stay: forget it). */
export function usePendingLeave(): {
  href: string | null;
  answer: (leave: boolean) => string | null;
} {
  const href = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pendingLeave,
    () => null,
  );
  return {
    href,
    answer: (leave) => {
      const to = pendingLeave;
      setPendingLeave(null);
      return leave ? to : null;
    },
  };
}

/**
 * While `dirty`, asks before unsaved edits are lost: the browser's own prompt when the page is
 * closed or reloaded (nothing else may run then), and the portal's own dialog (LeaveDialog in
 * the shell) before a link inside the portal moves to another page: the App Router has no hook
 * to block its navigation, so the click is caught on its way down and replayed on "Leave".
 * (Not `confirm()`: inside a frame it is titled with the portal's address, on the host's page.)
 */
export function useLeaveWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
        return;
      const a = (e.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
      if (!a || a.target === "_blank" || a.hasAttribute("download")) return;
      const to = new URL(a.href, window.location.href);
      if (to.origin !== window.location.origin || to.pathname === window.location.pathname) return;
      e.preventDefault();
      e.stopPropagation();
      setPendingLeave(`${to.pathname}${to.search}${to.hash}`);
    };
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("click", click, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      document.removeEventListener("click", click, true);
      setPendingLeave(null);
    };
  }, [dirty]);
}
