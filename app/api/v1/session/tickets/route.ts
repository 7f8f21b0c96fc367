import { json, methodsNotAllowed, withApiKey } from "@/lib/http/route";
import { createTicketRequest } from "@/lib/sessions/schemas";
import { createAccessTicket } from "@/lib/sessions/tickets";

export const dynamic = "force-dynamic";

/** Seed 001: the product's backend asks for a short-lived `webhook_app_access` ticket. */
export const POST = withApiKey(async ({ body, actor }) =>
  json(await createAccessTicket(await body(createTicketRequest), actor), { status: 201 }),
);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
