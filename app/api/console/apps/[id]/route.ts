import { deleteApp } from "@/lib/apps/delete-app";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { updateAppRequest } from "@/lib/apps/schemas";
import { serializeApp } from "@/lib/apps/serialize";
import { updateApp } from "@/lib/apps/update-app";
import { deletionImpact, healthOf, listAppEndpoints } from "@/lib/console/apps";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { id: string };

export const GET = withOperator<Params>(
  async ({ params }) => {
    const app = await getAppBySlugOrId(params.id);
    const [health, endpoints, impact] = await Promise.all([
      healthOf([app.id]),
      listAppEndpoints(app),
      deletionImpact(app),
    ]);
    return {
      ...serializeApp(app),
      health: health.get(app.id),
      endpoints,
      deletes: impact,
    };
  },
  { write: false },
);

export const PATCH = withOperator<Params>(
  async ({ params, body, actor }) => {
    const app = await getAppBySlugOrId(params.id);
    return serializeApp(await updateApp(app, await body(updateAppRequest), actor));
  },
  { write: true },
);

export const DELETE = withOperator<Params>(
  async ({ params, actor }) => {
    await deleteApp(await getAppBySlugOrId(params.id), actor);
    return new Response(null, { status: 204 });
  },
  { write: true },
);

export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
