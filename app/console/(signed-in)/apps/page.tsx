import { AppsPage } from "@/components/console/apps";

export default function ConsoleApps() {
  return <AppsPage />;
}
