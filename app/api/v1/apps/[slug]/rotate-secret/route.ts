import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { rotateAppSecrets } from "@/lib/apps/rotate-app-secrets";
import { rotateSecretRequest } from "@/lib/endpoints/schemas";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 002 `rotateWebhookSecret(appSlug)`: a new signing secret for every endpoint of the app. */
export const POST = withApiKey<{ slug: string }>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return rotateAppSecrets(app, await body(rotateSecretRequest), actor);
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
