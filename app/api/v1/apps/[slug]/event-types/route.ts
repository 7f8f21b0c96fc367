import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { createEventType } from "@/lib/event-types/create-event-type";
import { listEventTypes } from "@/lib/event-types/list-event-types";
import { createEventTypeRequest, listEventTypesQuery } from "@/lib/event-types/schemas";
import { serializeEventType } from "@/lib/event-types/serialize";
import { parseQuery } from "@/lib/http/parse";
import { json, methodsNotAllowed, withApiKey } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";

export const dynamic = "force-dynamic";

type Params = { slug: string };

export const GET = withApiKey<Params>(async ({ params, url }) => {
  const query = parseQuery(url, listEventTypesQuery);
  const app = await getAppBySlugOrId(params.slug);
  return toListPage(await listEventTypes(app, query), serializeEventType);
});

export const POST = withApiKey<Params>(async ({ params, body, actor }) => {
  const app = await getAppBySlugOrId(params.slug);
  return json(
    serializeEventType(await createEventType(app, await body(createEventTypeRequest), actor)),
    { status: 201 },
  );
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
