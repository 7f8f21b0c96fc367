/** Console sign-in (POST), who is signed in (GET) and sign-out (DELETE, ends the session row). */
import { signIn, signInRequest } from "@/lib/console/sign-in";
import { clearConsoleCookies, endOperatorSession } from "@/lib/console/session";
import { json, methodsNotAllowed, withOperator, withPublic } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = withPublic(async ({ req, body }) => {
  const { operator, cookies, csrf } = await signIn(req, await body(signInRequest));
  const response = json({
    operator: { email: operator.email, role: operator.role },
    csrf_token: csrf,
  });
  for (const cookie of cookies) response.headers.append("set-cookie", cookie);
  return response;
});

export const GET = withOperator(
  async ({ session }) => ({
    operator: {
      id: session.operator.id,
      email: session.operator.email,
      role: session.operator.role,
    },
    csrf_token: session.csrf,
  }),
  { write: false },
);

/** Viewers may sign out too: not a `write`, but CSRF-checked like every mutation. */
export const DELETE = withOperator(
  async ({ session }) => {
    await endOperatorSession(session);
    const response = new Response(null, { status: 204 });
    for (const cookie of clearConsoleCookies()) response.headers.append("set-cookie", cookie);
    return response;
  },
  { write: false },
);

export const { PUT, PATCH } = methodsNotAllowed("GET", "POST", "DELETE");
