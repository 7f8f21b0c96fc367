import { z } from "zod";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { json, methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const createKeyRequest = z.strictObject({ name: z.string() });

export const GET = withOperator(async () => ({ data: await listApiKeys() }), { write: false });

/** The key itself is in this answer only. */
export const POST = withOperator(
  async ({ body, actor }) =>
    json(await createApiKey(await body(createKeyRequest), actor), { status: 201 }),
  { write: true },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
