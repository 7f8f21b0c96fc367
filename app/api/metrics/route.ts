import { methodsNotAllowed, withApiKey } from "@/lib/http/route";
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics/render-metrics";

export const dynamic = "force-dynamic";

/** Prometheus metrics, behind an API key (`authorization: Bearer hk_...` in the scrape config). */
export const GET = withApiKey(async () => {
  return new Response(await renderMetrics(), {
    headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
  });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
