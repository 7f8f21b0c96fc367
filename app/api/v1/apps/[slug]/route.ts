import { deleteApp } from "@/lib/apps/delete-app";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { updateAppRequest } from "@/lib/apps/schemas";
import { serializeApp } from "@/lib/apps/serialize";
import { updateApp } from "@/lib/apps/update-app";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { slug: string };

export const GET = withApiKey<Params>(async ({ params }) =>
  serializeApp(await getAppBySlugOrId(params.slug)),
);

export const PATCH = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return serializeApp(await updateApp(app, await body(updateAppRequest), actor));
});

export const DELETE = withApiKey<Params>(async ({ params, actor }) => {
  await deleteApp(await getAppBySlugOrId(params.slug), actor);
  return new Response(null, { status: 204 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
