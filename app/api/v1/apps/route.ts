import { createApp } from "@/lib/apps/create-app";
import { listApps } from "@/lib/apps/list-apps";
import { createAppRequest, listAppsQuery } from "@/lib/apps/schemas";
import { serializeApp } from "@/lib/apps/serialize";
import { json, methodsNotAllowed, withApiKey } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";
import { toListPage } from "@/lib/openapi/shared-schemas";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ url }) =>
  toListPage(await listApps(parseQuery(url, listAppsQuery)), serializeApp),
);

export const POST = withApiKey(async ({ body, actor }) => {
  const app = await createApp(await body(createAppRequest), actor);
  return json(serializeApp(app), { status: 201 });
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
