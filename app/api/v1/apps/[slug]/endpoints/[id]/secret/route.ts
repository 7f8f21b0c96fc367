import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { revealEndpointSecret } from "@/lib/endpoints/reveal-endpoint-secret";
import type { EndpointSecretResponse } from "@/lib/endpoints/schemas";
import { withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ slug: string; id: string }>(async ({ params, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return { secret: await revealEndpointSecret(app, params.id, actor) } satisfies EndpointSecretResponse;
});
