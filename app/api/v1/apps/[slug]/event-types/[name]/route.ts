import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { deleteEventType } from "@/lib/event-types/delete-event-type";
import { getEventType } from "@/lib/event-types/get-event-type";
import { updateEventTypeRequest } from "@/lib/event-types/schemas";
import { serializeEventType } from "@/lib/event-types/serialize";
import { updateEventType } from "@/lib/event-types/update-event-type";
import { methodsNotAllowed, withApiKey } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { slug: string; name: string };

export const GET = withApiKey<Params>(async ({ params }) => {
  const app = await getAppBySlugOrId(params.slug);
  return serializeEventType(await getEventType(app, params.name));
});

export const PATCH = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return serializeEventType(
    await updateEventType(app, params.name, await body(updateEventTypeRequest), actor),
  );
});

export const DELETE = withApiKey<Params>(async ({ params, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  await deleteEventType(app, params.name, actor);
  return new Response(null, { status: 204 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
