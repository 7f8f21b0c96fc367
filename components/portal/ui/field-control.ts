/** What the text, text-area and select fields share: the control's look and its ARIA wiring. */
import type { ReactNode } from "react";
import { cx } from "./class-names";

const controlBase =
  "block w-full rounded-md border bg-(--hl-surface) px-3 text-sm text-(--hl-fg) placeholder:text-(--hl-subtle) disabled:opacity-60 " +
  "focus:outline-2 focus:outline-offset-0 focus:outline-(--hl-brand) focus:border-(--hl-brand)";

export function controlClass(error: string | undefined, extra?: string) {
  return cx(controlBase, error ? "border-(--hl-err)" : "border-(--hl-border-strong)", extra);
}

export function describedBy(id: string, hint: unknown, error: string | undefined) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export type LabelledFieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  labelHidden?: boolean;
};
