"use client";
/** The console's "add one" card: a one-line form, its errors, and what was made (shown once). */
import type { ReactNode } from "react";
import { Alert, Button, Card } from "@/components/portal/ui";

export function CreateFormCard({
  title,
  submitLabel,
  pending,
  errors,
  onSubmit,
  children,
  created,
}: {
  title: string;
  submitLabel: string;
  pending: boolean;
  /** Errors not shown beside a field. */
  errors: string[];
  /** `done` clears the form; call it once the server took the input. */
  onSubmit: (data: FormData, done: () => void) => void;
  children: ReactNode;
  created: ReactNode;
}) {
  return (
    <Card className="mb-6 p-4">
      <h2 className="mb-3 text-sm font-semibold">{title}</h2>
      <form
        aria-label={title}
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          onSubmit(new FormData(form), () => form.reset());
        }}
      >
        {children}
        <Button type="submit" variant="primary" loading={pending}>
          {submitLabel}
        </Button>
      </form>
      {errors.length ? (
        <Alert tone="err" className="mt-3">
          {errors.join(" ")}
        </Alert>
      ) : null}
      {created}
    </Card>
  );
}
