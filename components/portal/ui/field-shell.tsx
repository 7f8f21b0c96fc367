import type { ReactNode } from "react";
import { cx } from "./class-names";

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
