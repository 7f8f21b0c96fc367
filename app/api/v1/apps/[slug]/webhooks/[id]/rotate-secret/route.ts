import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { rotateWebhookSecretRequest } from "@/lib/compat/schemas";
import { success } from "@/lib/compat/serialize";
import { rotateEndpointSecret } from "@/lib/endpoints/rotate-endpoint-secret";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 004: `{ secret }` only, and the old secret stops signing at once. */
export const POST = withApiKey<{ slug: string; id: string }>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  const rotated = await rotateEndpointSecret(
    app,
    params.id,
    await body(rotateWebhookSecretRequest),
    actor,
  );
  return success({ secret: rotated.secret });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
