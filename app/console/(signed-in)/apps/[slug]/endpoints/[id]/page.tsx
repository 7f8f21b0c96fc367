import EndpointPage from "@/app/portal/endpoints/[id]/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppEndpointPage() {
  return (
    <PortalView>
      <EndpointPage />
    </PortalView>
  );
}
