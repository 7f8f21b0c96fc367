import CatalogPage from "@/app/portal/catalog/page";
import { PortalView } from "@/components/console/app-portal";

/** The portal's own page, for this app, with operator powers. */
export default function ConsoleAppCatalogPage() {
  return (
    <PortalView>
      <CatalogPage />
    </PortalView>
  );
}
