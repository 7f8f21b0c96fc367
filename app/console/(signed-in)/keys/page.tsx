import { KeysPage } from "@/components/console/keys";

export default function ConsoleKeys() {
  return <KeysPage />;
}
