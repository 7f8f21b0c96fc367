/**
 * Console sign-in for integration tests: the session route's answer, as the cookie header and
 * CSRF token a console page would send back.
 */
import { expect } from "vitest";
import * as sessionRoute from "@/app/api/console/session/route";
import { callRoute } from "./http";

export const CONSOLE_ORIGIN = "http://hookline.test";

export interface SignedOperator {
  cookie: string;
  csrf: string;
}

export function consoleSignInRequest(
  email: string,
  password: string,
  headers: Record<string, string> = {},
) {
  return callRoute(sessionRoute.POST, {
    method: "POST",
    path: "/api/console/session",
    body: { email, password },
    headers: { origin: CONSOLE_ORIGIN, ...headers },
  });
}

export async function consoleSignIn(email: string, password: string): Promise<SignedOperator> {
  const res = await consoleSignInRequest(email, password);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, csrf: res.body.csrf_token };
}
