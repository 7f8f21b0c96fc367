import { Suspense } from "react";
import { AuditPage } from "@/components/console/audit";

export default function ConsoleAudit() {
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
