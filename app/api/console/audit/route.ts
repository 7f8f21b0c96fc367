import { auditQuery, listAudit } from "@/lib/console/audit";
import { parseQuery } from "@/lib/http/parse";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(({ url }) => listAudit(parseQuery(url, auditQuery)), {
  write: false,
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
