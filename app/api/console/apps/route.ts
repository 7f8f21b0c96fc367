import { createApp } from "@/lib/apps/create-app";
import { createAppRequest } from "@/lib/apps/schemas";
import { serializeApp } from "@/lib/apps/serialize";
import { consoleAppsQuery, listConsoleApps } from "@/lib/console/apps";
import { parseQuery } from "@/lib/http/parse";
import { json, methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(({ url }) => listConsoleApps(parseQuery(url, consoleAppsQuery)), {
  write: false,
});

export const POST = withOperator(
  async ({ body, actor }) =>
    json(serializeApp(await createApp(await body(createAppRequest), actor)), { status: 201 }),
  { write: true },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
