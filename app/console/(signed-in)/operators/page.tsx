import { OperatorsPage } from "@/components/console/operators";

export default function ConsoleOperators() {
  return <OperatorsPage />;
}
