import { revokeApiKey } from "@/lib/auth/api-keys";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Revokes the key at once (it stays listed, as revoked). */
export const DELETE = withOperator<{ id: string }>(
  async ({ params, actor }) => revokeApiKey(params.id, actor),
  { write: true },
);

export const { GET, POST, PUT, PATCH } = methodsNotAllowed("DELETE");
