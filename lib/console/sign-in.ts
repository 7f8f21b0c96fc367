/**
 * Console sign-in: same-origin only (no login CSRF), rate limited per client address and per
 * email in this process, then the password check with lock-out (lib/console/operators.ts).
 */
import { z } from "zod";
import { apiError, apiErrors } from "@/lib/http/errors";
import { clientAddress } from "@/lib/http/forwarded";
import { FixedWindowLimiter } from "@/lib/http/rate-limit";
import { authenticateOperator, type OperatorSummary } from "@/lib/console/operators";
import { sameOrigin, startOperatorSession } from "@/lib/console/session";

export const signInRequest = z.strictObject({
  email: z.string().trim().min(1, "is required").max(254),
  password: z.string().min(1, "is required").max(256),
});

/** Attempts per minute from one address, and against one email from anywhere. */
export const SIGN_INS_PER_MINUTE = 20;
const byAddress = new FixedWindowLimiter(SIGN_INS_PER_MINUTE, 60_000);
const byEmail = new FixedWindowLimiter(SIGN_INS_PER_MINUTE, 60_000);

export async function signIn(
  req: Request,
  input: z.output<typeof signInRequest>,
): Promise<{ operator: OperatorSummary; cookies: string[]; csrf: string }> {
  if (!sameOrigin(req))
    throw apiError("csrf_failed", "Sign in from the console's own sign-in page");
  const wait = Math.max(
    byAddress.hit(clientAddress(req)),
    byEmail.hit(input.email.trim().toLowerCase()),
  );
  if (wait) throw apiErrors.rateLimited("Too many sign-in attempts: wait a minute", wait);
  const operator = await authenticateOperator(input.email, input.password);
  const { cookies, csrf } = await startOperatorSession(operator, req);
  return { operator, cookies, csrf };
}
