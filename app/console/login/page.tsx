import { SignInForm } from "@/components/console/sign-in-form";
import { FIRST_OPERATOR_COMMAND } from "@/lib/console/first-run";

export const metadata = { title: "Sign in · Hookline console" };

export default function SignInPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-10">
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">Hookline console</h1>
      <SignInForm firstOperatorCommand={FIRST_OPERATOR_COMMAND} />
    </main>
  );
}
