import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { testPingRequest } from "@/lib/compat/schemas";
import { success, testPingResult } from "@/lib/compat/serialize";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ slug: string; id: string }>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return success(
    testPingResult(await testEndpoint(app, params.id, await body(testPingRequest), actor)),
  );
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
