/**
 * The header naming the app (slug or id) a signed-in operator works on through the frontend API:
 * the console's app pages show the portal's own pages for it (lib/http/route.ts,
 * withOperatorOnApp). Its own module so that the console's browser code can import it.
 */
export const OPERATOR_APP_HEADER = "x-hookline-operator-app";
