import { createOperator, createOperatorRequest, listOperators } from "@/lib/console/operators";
import { json, methodsNotAllowed, withOperator } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withOperator(async () => ({ data: await listOperators() }), { write: false });

/** Answers the new operator and, when none was given, their one-time password (shown once). */
export const POST = withOperator(
  async ({ body, actor }) => {
    const { operator, password, generated } = await createOperator(
      await body(createOperatorRequest),
      actor,
    );
    return json({ operator, ...(generated && { password }) }, { status: 201 });
  },
  { write: true },
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
