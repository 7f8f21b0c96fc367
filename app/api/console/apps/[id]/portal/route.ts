/**
 * "Open portal as this customer": mints a short-lived access ticket (audited with the operator)
 * and answers the portal URL that spends it. Admins only: the portal can change the customer's
 * endpoints, which a viewer may not.
 */
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { createAccessTicket } from "@/lib/sessions/tickets";
import { methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const TICKET_SECONDS = 120;

export const POST = withOperator<{ id: string }>(
  async ({ params, actor }) => {
    const app = await getAppBySlugOrId(params.id);
    const { ticket, expires_at } = await createAccessTicket(
      { ticket_type: "webhook_app_access", webhook_app_slug: app.slug, expires_in: TICKET_SECONDS },
      actor,
    );
    return { url: `/portal?ticket=${encodeURIComponent(ticket)}`, expires_at };
  },
  { write: true },
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
