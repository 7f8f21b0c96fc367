import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { rotateEndpointSecret } from "@/lib/endpoints/rotate-endpoint-secret";
import { rotateSecretRequest, type RotateSecretResponse } from "@/lib/endpoints/schemas";
import { withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ slug: string; id: string }>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  const rotated = await rotateEndpointSecret(app, params.id, await body(rotateSecretRequest), actor);
  return {
    secret: rotated.secret,
    previous_secret_expires_at: rotated.previousExpiresAt?.toISOString() ?? null,
  } satisfies RotateSecretResponse;
});
