import { getOverview } from "@/lib/console/overview";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(() => getOverview(), { write: false });

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
