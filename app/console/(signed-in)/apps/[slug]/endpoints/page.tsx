import EndpointsPage from "@/app/portal/endpoints/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppEndpointsPage() {
  return (
    <PortalView>
      <EndpointsPage />
    </PortalView>
  );
}
