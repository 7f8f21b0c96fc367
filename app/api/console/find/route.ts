import { findAcrossApps, findQuery } from "@/lib/console/find";
import { parseQuery } from "@/lib/http/parse";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(({ url }) => findAcrossApps(parseQuery(url, findQuery)), {
  write: false,
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
