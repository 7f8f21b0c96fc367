"use client";
/**
 * A confirmation for a destructive action: Cancel has the first focus, the action button shows
 * progress, and a failure is shown in the dialog (which stays open) rather than lost.
 */
import { useRef, useState, type ReactNode } from "react";
import { errorMessage } from "@/lib/portal/field-errors";
import { Alert, Button, Modal } from "@/components/portal/ui";

export function ConfirmDialog({
  open,
  onClose,
  title,
  confirmLabel,
  testId,
  onConfirm,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  confirmLabel: string;
  testId?: string;
  /** Runs the action; a rejection is shown in the dialog. */
  onConfirm: () => Promise<void>;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      size="sm"
      initialFocusRef={cancelRef}
      testId={testId}
      footer={
        <>
          <Button ref={cancelRef} onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm();
              } catch (err) {
                setError(err);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      {error ? (
        <Alert tone="err" className="mt-3">
          {errorMessage(error)}
        </Alert>
      ) : null}
    </Modal>
  );
}
