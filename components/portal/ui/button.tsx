"use client";
import { forwardRef, type ButtonHTMLAttributes } from "react";
import { cx, focusRing } from "./class-names";
import { Spinner } from "./spinner";

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
