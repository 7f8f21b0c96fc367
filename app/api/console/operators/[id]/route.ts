import { deleteOperator, updateOperatorRequest, updateOperatorRole } from "@/lib/console/operators";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { id: string };

export const PATCH = withOperator<Params>(
  async ({ params, body, actor }) =>
    updateOperatorRole(params.id, (await body(updateOperatorRequest)).role, actor),
  { write: true },
);

export const DELETE = withOperator<Params>(
  async ({ params, actor }) => {
    await deleteOperator(params.id, actor);
    return new Response(null, { status: 204 });
  },
  { write: true },
);

export const { GET, POST, PUT } = methodsNotAllowed("PATCH", "DELETE");
