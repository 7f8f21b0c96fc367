import DeliveriesPage from "@/app/portal/deliveries/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppDeliveriesPage() {
  return (
    <PortalView>
      <DeliveriesPage />
    </PortalView>
  );
}
