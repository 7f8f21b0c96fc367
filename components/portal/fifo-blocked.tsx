"use client";
/**
 * A FIFO endpoint whose line is held by a failing delivery: which one, why, how many wait behind
 * it, and a Skip action (with a confirmation) that cancels it so the next delivery can go. The
 * same Skip is offered in the delivery drawer.
 */
import Link from "next/link";
import { useState } from "react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { useSkipDelivery } from "@/lib/react";
import { formatDateTime, formatNumber } from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { useToast } from "@/components/portal/toast";
import { ConfirmDialog } from "@/components/portal/confirm-dialog";
import { Alert, Button, cx, focusRing } from "@/components/portal/ui";

/** "3 deliveries wait" / "1 delivery waits" / "No other delivery waits". */
export function waitingInLine(n: number): string {
  if (n === 0) return "No other delivery waits in its line";
  return `${formatNumber(n)} ${n === 1 ? "delivery waits" : "deliveries wait"} in line behind it`;
}

/** Confirms, then skips (cancels) one waiting delivery of a FIFO endpoint. */
export function SkipDeliveryDialog({
  deliveryId,
  open,
  onClose,
  onSkipped,
}: {
  deliveryId: string;
  open: boolean;
  onClose: () => void;
  onSkipped: () => void;
}) {
  const skip = useSkipDelivery();
  const toast = useToast();
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title="Skip this delivery?"
      confirmLabel="Skip delivery"
      testId="skip-dialog"
      onConfirm={async () => {
        await skip.mutateAsync(deliveryId);
        toast("Delivery skipped");
        onClose();
        onSkipped();
      }}
    >
      <p className="text-sm">
        Delivery{" "}
        <code className="rounded bg-(--hl-surface-2) px-1.5 py-0.5 font-mono text-[13px]">
          {deliveryId}
        </code>{" "}
        will be cancelled without another attempt, and the next delivery in line will be sent. You
        can still resend it later from the delivery log (it then goes to the back of the line).
      </p>
    </ConfirmDialog>
  );
}

export function FifoBlockedNotice({
  endpoint,
  onSkipped,
}: {
  endpoint: EndpointResponse;
  onSkipped: () => void;
}) {
  const { href } = usePortal();
  const [confirming, setConfirming] = useState(false);
  const blocker = endpoint.blocked_by;
  if (!blocker) return null;
  return (
    <Alert
      tone="warn"
      title={<>Blocked by delivery {blocker.delivery_id}</>}
      className="mb-6"
      data-testid="fifo-blocked"
    >
      <p>
        This endpoint receives events in order. Delivery{" "}
        <Link
          href={href(
            `/portal/deliveries?delivery=${encodeURIComponent(blocker.delivery_id)}&endpoint_id=${encodeURIComponent(endpoint.id)}`,
          )}
          className={cx("rounded font-mono underline", focusRing)}
        >
          {blocker.delivery_id}
        </Link>{" "}
        ({blocker.event_name}) failed{" "}
        {blocker.attempts === 1 ? "once" : `${blocker.attempts} times`}
        {blocker.last_error ? `: ${blocker.last_error}` : ""}. The deliveries after it wait until it
        succeeds, runs out of retries or is skipped.
        {blocker.next_attempt_at ? ` Next attempt ${formatDateTime(blocker.next_attempt_at)}.` : ""}
      </p>
      <p className="mt-1 font-medium" data-testid="fifo-waiting">
        {waitingInLine(blocker.waiting)}.
      </p>
      <Button size="sm" className="mt-2" onClick={() => setConfirming(true)}>
        Skip this delivery
      </Button>
      <SkipDeliveryDialog
        deliveryId={blocker.delivery_id}
        open={confirming}
        onClose={() => setConfirming(false)}
        onSkipped={onSkipped}
      />
    </Alert>
  );
}
