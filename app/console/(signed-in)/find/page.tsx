import { Suspense } from "react";
import { FindPage } from "@/components/console/find";

export default function ConsoleFind() {
  return (
    <Suspense>
      <FindPage />
    </Suspense>
  );
}
