import { OverviewPage } from "@/components/console/overview";

export default function ConsoleOverview() {
  return <OverviewPage />;
}
