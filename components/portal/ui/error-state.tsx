import { errorMessage, requestIdOf } from "@/lib/portal/field-errors";
import { Button } from "./button";

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
