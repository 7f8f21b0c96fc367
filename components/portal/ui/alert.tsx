import type { ReactNode } from "react";
import { cx } from "./class-names";
import { toneClasses, type Tone } from "./tone";

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
