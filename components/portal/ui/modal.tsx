"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { isFramed } from "@/lib/portal/embed";
import {
  hostBand,
  placeInBand,
  subscribeHostViewport,
  visibleBandFor,
  type VisibleBand,
} from "@/lib/portal/viewport";
import { cx, focusRing } from "./class-names";
import { setModalOpen } from "./modal-stack";

/**
 * Places a modal inside the band of the frame the host shows (see lib/portal/viewport.ts):
 * a dialog at its top, a drawer over its full height. In a plain tab the browser centres it.
 */
function placeModal(dialog: HTMLDialogElement, band: VisibleBand, drawer: boolean) {
  const { top, maxHeight } = placeInBand(band, drawer ? 0 : 16);
  dialog.style.top = `${top}px`;
  dialog.style.bottom = "auto";
  dialog.style.marginTop = "0";
  dialog.style.marginBottom = "0";
  dialog.style.setProperty("--hl-modal-max", `${maxHeight}px`);
  if (drawer) {
    dialog.style.height = `${maxHeight}px`;
    dialog.style.maxHeight = `${maxHeight}px`;
  }
}

export interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  /** `drawer`: a panel on the right on wide screens. */
  variant?: "dialog" | "drawer";
  size?: "sm" | "md" | "lg";
  /** Element to focus when opened (default: the first focusable one). */
  initialFocusRef?: React.RefObject<HTMLElement | null>;
  testId?: string;
}

export function Modal({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  variant = "dialog",
  size = "md",
  initialFocusRef,
  testId,
}: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const slot = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const toastSlot = slot.current;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      let cancelled = false;
      const show = () => {
        if (cancelled || dialog.open) return;
        dialog.showModal();
        setModalOpen(toastSlot, true);
        // The given element, else the first field of the body (a form's first input), else the
        // browser's choice (the first focusable element: Close).
        const target =
          initialFocusRef?.current ??
          dialog.querySelector<HTMLElement>(
            "[data-modal-body] :is(input, select, textarea):not([disabled])",
          );
        target?.focus({ preventScroll: true });
      };
      if (isFramed()) {
        // Placed before it opens: opening focuses inside it, and focus scrolls the host page to
        // wherever the dialog is.
        const around = opener && opener !== document.body ? opener.getBoundingClientRect().top : 0;
        void visibleBandFor(around, variant === "drawer" ? 640 : 480).then((band) => {
          if (cancelled) return;
          placeModal(dialog, band, variant === "drawer");
          show();
        });
      } else {
        show();
      }
      // While open, it follows the part of the frame the host shows (the host scrolled, or its
      // window changed size).
      const stopFollowing = isFramed()
        ? subscribeHostViewport(() => {
            const band = hostBand();
            if (band && dialog.open) placeModal(dialog, band, variant === "drawer");
          })
        : () => {};
      return () => {
        cancelled = true;
        stopFollowing();
        if (dialog.open) dialog.close();
        setModalOpen(toastSlot, false);
        // Back to what opened it; if that is gone (a deleted row), to the page's main region.
        if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
        else document.getElementById("portal-main")?.focus({ preventScroll: true });
      };
    }
    if (!open && dialog.open) {
      dialog.close();
      setModalOpen(toastSlot, false);
    }
  }, [open, initialFocusRef, variant]);

  const drawer = variant === "drawer";
  const width = size === "sm" ? "max-w-md" : size === "lg" ? "max-w-3xl" : "max-w-xl";
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      data-testid={testId}
      data-variant={variant}
      onCancel={(e) => {
        e.preventDefault();
        onCloseRef.current();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (e.target === ref.current) onCloseRef.current();
      }}
      className={cx(
        "hl-modal bg-transparent p-0 text-(--hl-fg) backdrop:bg-[rgb(15_23_42/0.55)]",
        drawer
          ? "fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-2xl"
          : cx("m-auto w-[calc(100%-1.5rem)]", width),
      )}
    >
      {open ? (
        <div
          className={cx(
            "flex flex-col border border-(--hl-border) bg-(--hl-surface) shadow-xl",
            drawer ? "h-full" : "max-h-[min(var(--hl-modal-max,85dvh),900px)] rounded-xl",
          )}
        >
          <div className="flex items-start justify-between gap-4 border-b border-(--hl-border) px-5 py-4">
            <div className="min-w-0">
              <h2 id={titleId} className="text-base font-semibold break-words">
                {title}
              </h2>
              {description ? (
                <p id={descId} className="mt-1 text-sm text-(--hl-muted)">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={() => onCloseRef.current()}
              className={cx(
                "-m-1 rounded-md p-1 text-(--hl-muted) hover:bg-(--hl-surface-2) hover:text-(--hl-fg)",
                focusRing,
              )}
              aria-label="Close"
            >
              <svg viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor" aria-hidden="true">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </div>
          <div data-modal-body className="min-h-0 flex-1 overflow-y-auto px-5 py-4">
            {children}
          </div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 border-t border-(--hl-border) px-5 py-3">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
      <div ref={slot} data-toast-slot />
    </dialog>
  );
}
