import { checkHealth } from "@/lib/health/check-health";
import { json, methodsNotAllowed, withPublic } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** 200 when the database answers, 503 otherwise; always with the details. */
export const GET = withPublic(async () => {
  const report = await checkHealth();
  return json(report, { status: report.status === "ok" ? 200 : 503 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
