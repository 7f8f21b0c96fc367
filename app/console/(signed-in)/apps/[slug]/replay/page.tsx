import ReplayPage from "@/app/portal/replay/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppReplayPage() {
  return (
    <PortalView>
      <ReplayPage />
    </PortalView>
  );
}
