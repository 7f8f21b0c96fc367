"use client";
/**
 * "Leave without saving?": asked in the portal (not the browser's `confirm()`) when a link would
 * leave a page with unsaved edits (useLeaveWarning). Stay keeps the first focus.
 */
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { Button, Modal } from "@/components/portal/ui";
import { LEAVE_MESSAGE, usePendingLeave } from "@/components/portal/use-leave-warning";

export function LeaveDialog() {
  const { href, answer } = usePendingLeave();
  const router = useRouter();
  const stay = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={href !== null}
      onClose={() => answer(false)}
      title="Leave without saving?"
      size="sm"
      initialFocusRef={stay}
      testId="leave-dialog"
      footer={
        <>
          <Button ref={stay} onClick={() => answer(false)}>
            Stay on this page
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              const to = answer(true);
              if (to) router.push(to);
            }}
          >
            Leave
          </Button>
        </>
      }
    >
      <p className="text-sm">{LEAVE_MESSAGE}</p>
    </Modal>
  );
}
