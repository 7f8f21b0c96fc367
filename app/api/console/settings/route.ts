import { readSettings } from "@/lib/console/settings";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(async () => ({ data: readSettings() }), { write: false });

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
