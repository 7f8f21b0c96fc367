"use client";
/**
 * A FIFO endpoint whose line is held by a failing delivery: which one, why, and a Skip action
 * (with a confirmation) that cancels it so the next delivery can go.
 */
import Link from "next/link";
import { useState } from "react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { useWebhookAppSession } from "@/lib/react";
import { formatDateTime } from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { useToast } from "@/components/portal/toast";
import { ConfirmDialog } from "@/components/portal/confirm-dialog";
import { Alert, Button, cx, focusRing } from "@/components/portal/ui";

export function FifoBlockedNotice({
  endpoint,
  onSkipped,
}: {
  endpoint: EndpointResponse;
  onSkipped: () => void;
}) {
  const { href } = usePortal();
  const session = useWebhookAppSession(null);
  const toast = useToast();
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
      <Button size="sm" className="mt-2" onClick={() => setConfirming(true)}>
        Skip this delivery
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Skip this delivery?"
        confirmLabel="Skip delivery"
        testId="skip-dialog"
        onConfirm={async () => {
          await session.skipDelivery(blocker.delivery_id);
          toast("Delivery skipped");
          setConfirming(false);
          onSkipped();
        }}
      >
        <p className="text-sm">
          Delivery{" "}
          <code className="rounded bg-(--hl-surface-2) px-1.5 py-0.5 font-mono text-[13px]">
            {blocker.delivery_id}
          </code>{" "}
          will be cancelled without another attempt, and the next delivery in line will be sent. You
          can still resend it later from the delivery log (it then goes to the back of the line).
        </p>
      </ConfirmDialog>
    </Alert>
  );
}
