"use client";
/** Email and password; errors (wrong password, locked, rate limited) are shown and announced. */
import { useState } from "react";
import { Alert, Button, Card, TextField } from "@/components/portal/ui";
import { errorMessage } from "@/lib/portal/field-errors";
import { consoleApi } from "@/components/console/api";

export function SignInForm({ firstOperatorCommand }: { firstOperatorCommand: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Card className="p-6">
      <form
        aria-label="Sign in"
        className="space-y-4"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          setBusy(true);
          setError(null);
          try {
            await consoleApi("/session", {
              method: "POST",
              body: { email: form.get("email"), password: form.get("password") },
            });
            const next = new URLSearchParams(location.search).get("next");
            window.location.assign(next?.startsWith("/console") ? next : "/console");
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        {error ? (
          <Alert tone="err" title="Could not sign in">
            {errorMessage(error)}
          </Alert>
        ) : null}
        <TextField label="Email" name="email" type="email" autoComplete="username" required />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" variant="primary" loading={busy} className="w-full">
          Sign in
        </Button>
      </form>
      <p className="mt-4 text-xs text-(--hl-muted)">
        No account yet? On the server, run <code className="font-mono">{firstOperatorCommand}</code>
      </p>
    </Card>
  );
}
