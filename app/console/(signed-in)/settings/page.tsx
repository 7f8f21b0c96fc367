import { SettingsPage } from "@/components/console/settings";

export default function ConsoleSettings() {
  return <SettingsPage />;
}
