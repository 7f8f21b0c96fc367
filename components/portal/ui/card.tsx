import type { ReactNode } from "react";
import { cx } from "./class-names";

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
