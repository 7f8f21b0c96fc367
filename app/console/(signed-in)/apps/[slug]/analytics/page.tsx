import AnalyticsPage from "@/app/portal/analytics/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppAnalyticsPage() {
  return (
    <PortalView>
      <AnalyticsPage />
    </PortalView>
  );
}
