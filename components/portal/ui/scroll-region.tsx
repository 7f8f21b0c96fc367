import type { ReactNode } from "react";
import { cx, focusRing } from "./class-names";

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
