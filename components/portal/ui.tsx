"use client";
/**
 * The portal's building blocks: buttons, fields wired for labels, hints and errors
 * (`aria-invalid`, `aria-describedby`), cards, badges, loading, empty and error states, and a
 * modal on the native <dialog> (focus moves in and back, Escape closes, the page behind is inert).
 */
import {
  forwardRef,
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { errorMessage, requestIdOf } from "@/lib/portal/field-errors";
import { DateTimeField } from "@/components/portal/date-time-field";
import { isFramed, postToParent, rememberedEmbedOrigins } from "@/lib/portal/embed";
import {
  hostBand,
  placeInBand,
  subscribeHostViewport,
  visibleBandFor,
  type VisibleBand,
} from "@/lib/portal/viewport";

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

export const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-(--hl-brand)";

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost" | "danger-ghost";

const buttonVariants: Record<ButtonVariant, string> = {
  primary:
    "bg-(--hl-brand) text-(--hl-brand-fg) hover:brightness-110 border border-transparent shadow-(--hl-shadow)",
  secondary:
    "bg-(--hl-surface) text-(--hl-fg) border border-(--hl-border-strong) hover:bg-(--hl-surface-2)",
  danger: "bg-(--hl-danger) text-white border border-transparent hover:brightness-110",
  ghost: "bg-transparent text-(--hl-fg) border border-transparent hover:bg-(--hl-surface-2)",
  "danger-ghost":
    "bg-transparent text-(--hl-err) border border-transparent hover:bg-(--hl-err-soft)",
};

/** A button's look, for a link that acts as one (navigation stays a link). */
export function buttonClass(
  variant: ButtonVariant = "secondary",
  size: "sm" | "md" = "md",
  className?: string,
): string {
  return cx(
    "inline-flex items-center justify-center gap-2 rounded-md font-medium whitespace-nowrap transition disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-wait aria-disabled:opacity-60",
    size === "sm" ? "h-8 px-2.5 text-sm" : "h-10 px-4 text-sm",
    buttonVariants[variant],
    focusRing,
    className,
  );
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: "sm" | "md";
  loading?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  {
    variant = "secondary",
    size = "md",
    loading = false,
    disabled,
    className,
    children,
    type = "button",
    onClick,
    ...rest
  },
  ref,
) {
  // While loading the button keeps focus (a disabled button drops it to <body>): it is
  // aria-disabled and ignores clicks (and, as a submit button, submitting) instead.
  return (
    <button
      ref={ref}
      type={type}
      disabled={disabled}
      aria-disabled={loading || undefined}
      aria-busy={loading || undefined}
      onClick={loading ? (e) => e.preventDefault() : onClick}
      className={buttonClass(variant, size, className)}
      {...rest}
    >
      {loading ? <Spinner className="h-4 w-4" /> : null}
      {children}
    </button>
  );
});

export function Spinner({ className = "h-5 w-5" }: { className?: string }) {
  return (
    <svg
      className={cx("animate-spin", className)}
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export function Card({
  children,
  className,
  as: As = "section",
  ...rest
}: { children: ReactNode; className?: string; as?: "section" | "div" | "article" | "li" } & Record<
  string,
  unknown
>) {
  return (
    <As
      className={cx(
        "rounded-lg border border-(--hl-border) bg-(--hl-surface) shadow-(--hl-shadow)",
        className,
      )}
      {...rest}
    >
      {children}
    </As>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  docTitle,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  docTitle?: string;
}) {
  const pageTitle = docTitle ?? (typeof title === "string" ? title : null);
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      {pageTitle ? <title>{`${pageTitle} · Webhooks`}</title> : null}
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {description ? (
          <p className="mt-1 max-w-2xl text-sm text-(--hl-muted)">{description}</p>
        ) : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export type Tone = "ok" | "warn" | "err" | "info" | "neutral" | "brand";

const toneClasses: Record<Tone, string> = {
  ok: "bg-(--hl-ok-soft) text-(--hl-ok)",
  warn: "bg-(--hl-warn-soft) text-(--hl-warn)",
  err: "bg-(--hl-err-soft) text-(--hl-err)",
  info: "bg-(--hl-info-soft) text-(--hl-info)",
  neutral: "bg-(--hl-neutral-soft) text-(--hl-muted)",
  brand: "bg-(--hl-brand-soft) text-(--hl-brand-text)",
};

export function Badge({
  tone = "neutral",
  children,
  dot = true,
  className,
}: {
  tone?: Tone;
  children: ReactNode;
  dot?: boolean;
  className?: string;
}) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        toneClasses[tone],
        className,
      )}
    >
      {dot ? <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-current" /> : null}
      {children}
    </span>
  );
}

export function Alert({
  tone = "info",
  title,
  children,
  className,
  ...rest
}: { tone?: Tone; title?: ReactNode; children?: ReactNode; className?: string } & Record<
  string,
  unknown
>) {
  return (
    <div
      role={tone === "err" ? "alert" : "status"}
      className={cx(
        "rounded-md border border-current/20 px-4 py-3 text-sm",
        toneClasses[tone],
        className,
      )}
      {...rest}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? (
        <div className={cx(title ? "mt-1" : "", "text-(--hl-fg)")}>{children}</div>
      ) : null}
    </div>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cx("animate-pulse rounded bg-(--hl-surface-2)", className)}
    />
  );
}

/** A loading placeholder that screen readers announce once. */
export function LoadingBlock({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3" data-testid="loading">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={cx("h-14 w-full", i % 2 ? "opacity-70" : "")} />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  icon,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-(--hl-border-strong) bg-(--hl-surface) px-6 py-12 text-center">
      {icon ? <div className="mb-3 text-(--hl-subtle)">{icon}</div> : null}
      <h2 className="text-base font-semibold">{title}</h2>
      {children ? <div className="mt-1 max-w-md text-sm text-(--hl-muted)">{children}</div> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}

export function ErrorState({
  error,
  title = "Could not load this",
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const requestId = requestIdOf(error);
  return (
    <div
      role="alert"
      className="rounded-lg border border-(--hl-err)/30 bg-(--hl-err-soft) px-5 py-4 text-sm"
    >
      <p className="font-semibold text-(--hl-err)">{title}</p>
      <p className="mt-1 text-(--hl-fg)">{errorMessage(error)}</p>
      {requestId ? (
        <p className="mt-1 text-xs text-(--hl-muted)">
          Request id: <code className="font-mono">{requestId}</code>
        </p>
      ) : null}
      {onRetry ? (
        <Button size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

const controlBase =
  "block w-full rounded-md border bg-(--hl-surface) px-3 text-sm text-(--hl-fg) placeholder:text-(--hl-subtle) disabled:opacity-60 " +
  "focus:outline-2 focus:outline-offset-0 focus:outline-(--hl-brand) focus:border-(--hl-brand)";

function controlClass(error: string | undefined, extra?: string) {
  return cx(controlBase, error ? "border-(--hl-err)" : "border-(--hl-border-strong)", extra);
}

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  className?: string;
  children: ReactNode;
  labelHidden?: boolean;
}

export function FieldShell({
  id,
  label,
  hint,
  error,
  required,
  className,
  children,
  labelHidden,
}: FieldShellProps) {
  return (
    <div className={className}>
      <label
        htmlFor={id}
        className={cx("mb-1 block text-sm font-medium", labelHidden && "sr-only")}
      >
        {label}
        {required ? (
          <span className="text-(--hl-err)" aria-hidden="true">
            {" "}
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-(--hl-muted)">
          {hint}
        </p>
      ) : null}
      {error ? <FieldErrorText id={`${id}-error`}>{error}</FieldErrorText> : null}
    </div>
  );
}

export function FieldErrorText({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p
      id={id}
      className="mt-1 flex items-start gap-1 text-xs font-medium text-(--hl-err)"
      data-field-error
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        className="mt-px h-3.5 w-3.5 shrink-0"
        fill="currentColor"
      >
        <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-.75 4.5a.75.75 0 0 1 1.5 0v4a.75.75 0 0 1-1.5 0v-4ZM10 14.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
      </svg>
      <span>{children}</span>
    </p>
  );
}

function describedBy(id: string, hint: unknown, error: string | undefined) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

type Common = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  labelHidden?: boolean;
};

export const TextField = forwardRef<
  HTMLInputElement,
  Common & InputHTMLAttributes<HTMLInputElement>
>(function TextField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
  ref,
) {
  const autoId = useId();
  const id = givenId ?? autoId;
  if (input.type === "datetime-local") {
    // One text field instead of the browser's segmented control (date-time-field.tsx).
    const { type: _type, value, ...rest } = input;
    void _type;
    return (
      <DateTimeField
        ref={ref}
        id={id}
        hint={hint}
        error={error}
        value={typeof value === "string" ? value : ""}
        aria-required={required || undefined}
        className={(shown) => controlClass(shown, "h-10 min-w-[12.5rem] font-mono tabular-nums")}
        shell={(parts) => (
          <FieldShell
            id={parts.id}
            label={label}
            hint={parts.hint}
            error={parts.error}
            required={required}
            className={className}
            labelHidden={labelHidden}
          >
            {parts.input}
          </FieldShell>
        )}
        {...rest}
      />
    );
  }
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
      labelHidden={labelHidden}
    >
      <input
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required || undefined}
        className={controlClass(error, "h-10")}
        {...input}
      />
    </FieldShell>
  );
});

export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  Common & TextareaHTMLAttributes<HTMLTextAreaElement>
>(function TextAreaField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
  ref,
) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
      labelHidden={labelHidden}
    >
      <textarea
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={controlClass(error, "py-2 font-mono text-xs leading-5")}
        {...input}
      />
    </FieldShell>
  );
});

export const SelectField = forwardRef<
  HTMLSelectElement,
  Common & SelectHTMLAttributes<HTMLSelectElement>
>(function SelectField(
  { label, hint, error, className, labelHidden, id: givenId, required, children, ...input },
  ref,
) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
      labelHidden={labelHidden}
    >
      <select
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={controlClass(error, "h-10 pr-8")}
        {...input}
      >
        {children}
      </select>
    </FieldShell>
  );
});

/**
 * The open modals, topmost last: the toasts render inside the topmost one so they show above
 * it (and are not made inert by it).
 */
const openModals: HTMLElement[] = [];
const modalListeners = new Set<() => void>();
function setModalOpen(dialog: HTMLElement | null, isOpen: boolean) {
  if (!dialog) return;
  const before = openModals.length;
  const i = openModals.indexOf(dialog);
  if (i >= 0) openModals.splice(i, 1);
  if (isOpen) openModals.push(dialog);
  // The host keeps its page still while a dialog is open (docs/embedding.md).
  if ((before === 0) !== (openModals.length === 0))
    postToParent({ type: "hookline:modal", open: openModals.length > 0 }, rememberedEmbedOrigins());
  modalListeners.forEach((l) => l());
}
export function subscribeModals(listener: () => void): () => void {
  modalListeners.add(listener);
  return () => modalListeners.delete(listener);
}
/** The toast slot of the topmost open modal. */
export function topModal(): HTMLElement | null {
  return openModals.at(-1) ?? null;
}

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

export function CopyButton({
  value,
  label = "Copy",
  className,
}: {
  value: string;
  label?: string;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <Button
      size="sm"
      className={className}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setState("copied");
        } catch {
          setState("failed");
        }
      }}
    >
      <span aria-live="polite">
        {state === "copied"
          ? "Copied"
          : state === "failed"
            ? "Copy blocked — select the text"
            : label}
      </span>
    </Button>
  );
}

/**
 * A region that scrolls on its own: focusable (so keyboard users can scroll it, WCAG 2.1.1) and
 * named for screen readers.
 */
export function ScrollRegion({
  label,
  className,
  children,
  as: As = "div",
}: {
  label: string;
  className?: string;
  children: ReactNode;
  as?: "div" | "ul";
}) {
  return (
    <As
      role={As === "div" ? "region" : undefined}
      aria-label={label}
      tabIndex={0}
      className={cx(focusRing, "focus-visible:-outline-offset-2", className)}
    >
      {children}
    </As>
  );
}

export function CodeBlock({
  children,
  label,
  className,
  maxHeight = "max-h-80",
}: {
  children: string;
  label: string;
  className?: string;
  maxHeight?: string;
}) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={cx(
        "overflow-auto rounded-md border border-(--hl-border) bg-(--hl-code-bg) p-3 font-mono text-xs leading-5 whitespace-pre",
        maxHeight,
        focusRing,
        className,
      )}
    >
      {children || <span className="text-(--hl-subtle)">(empty)</span>}
    </pre>
  );
}

export function DescriptionList({ items }: { items: { term: ReactNode; value: ReactNode }[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
      {items.map((item, i) => (
        <div key={i} className="contents">
          <dt className="text-(--hl-muted)">{item.term}</dt>
          <dd className="min-w-0 break-words">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A segmented control (radio group) for a few options. */
export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="inline-flex rounded-md border border-(--hl-border-strong) bg-(--hl-surface) p-0.5">
      <legend className="sr-only">{label}</legend>
      {options.map((o) => (
        <label
          key={o.value}
          className={cx(
            "cursor-pointer rounded px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-(--hl-brand)",
            o.value === value
              ? "bg-(--hl-brand) text-(--hl-brand-fg)"
              : "text-(--hl-muted) hover:text-(--hl-fg)",
          )}
        >
          <input
            type="radio"
            className="sr-only"
            name={name}
            value={o.value}
            checked={o.value === value}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function StatCard({
  label,
  value,
  detail,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: Tone;
  testId?: string;
}) {
  return (
    <Card className="p-4" data-testid={testId}>
      <p className="text-xs font-medium tracking-wide text-(--hl-muted) uppercase">{label}</p>
      <p
        className={cx(
          "mt-1 text-2xl font-semibold tabular-nums",
          tone === "err" && "text-(--hl-err)",
          tone === "ok" && "text-(--hl-ok)",
        )}
      >
        {value}
      </p>
      {detail ? <p className="mt-0.5 text-xs text-(--hl-muted)">{detail}</p> : null}
    </Card>
  );
}

export function ExternalIcon() {
  return (
    <svg viewBox="0 0 20 20" className="h-3.5 w-3.5" fill="currentColor" aria-hidden="true">
      <path d="M11 3a1 1 0 1 0 0 2h2.59l-6.3 6.3a1 1 0 1 0 1.42 1.4L15 6.42V9a1 1 0 1 0 2 0V4a1 1 0 0 0-1-1h-5Z" />
      <path d="M5 5a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2v-3a1 1 0 1 0-2 0v3H5V7h3a1 1 0 0 0 0-2H5Z" />
    </svg>
  );
}
