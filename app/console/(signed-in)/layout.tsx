import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { CONSOLE_COOKIE, readOperatorSession } from "@/lib/console/session";

/** Every page below needs a live console session; without one, the sign-in page. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const session = await readOperatorSession((await cookies()).get(CONSOLE_COOKIE)?.value);
  if (!session) redirect("/console/login");
  const { id, email, role } = session.operator;
  return <ConsoleShell operator={{ id, email, role }}>{children}</ConsoleShell>;
}
