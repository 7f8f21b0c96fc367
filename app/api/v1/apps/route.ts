import { createApp } from "@/lib/apps/create-app";
import { listApps } from "@/lib/apps/list-apps";
import { createAppRequest } from "@/lib/apps/schemas";
import { serializeApp } from "@/lib/apps/serialize";
import { json, withApiKey } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/parse";
import { cursorParam, limitParam } from "@/lib/http/pagination";
import { z } from "zod";

export const dynamic = "force-dynamic";

const listQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });

export const GET = withApiKey(async ({ url }) => {
  const page = await listApps(parseQuery(url, listQuery));
  return { data: page.data.map(serializeApp), next_cursor: page.nextCursor, has_more: page.nextCursor !== null };
});

export const POST = withApiKey(async ({ body, actor }) => {
  const app = await createApp(await body(createAppRequest), actor);
  return json(serializeApp(app), { status: 201 });
});
