import type { ReactNode } from "react";
import { Card } from "./card";
import { cx } from "./class-names";
import type { Tone } from "./tone";

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
