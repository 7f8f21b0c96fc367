import { cx } from "./class-names";

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
