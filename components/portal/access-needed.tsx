"use client";
import { errorMessage } from "@/lib/portal/field-errors";

export type AccessReason =
  "no_ticket" | "invalid_ticket" | "session_expired" | "ended" | "unavailable";

const COPY: Record<AccessReason, { title: string; body: string }> = {
  no_ticket: {
    title: "Access needed",
    body: "This page opens from a link in the product you use. Go back to its webhook settings and open them again to get a fresh, single-use access link.",
  },
  invalid_ticket: {
    title: "This access link can't be used",
    body: "The link is invalid, has expired, or was already used (each one works once, for a few minutes). Go back to the product's webhook settings and open them again.",
  },
  session_expired: {
    title: "Your session has ended",
    body: "For your security, webhook sessions expire after a period of inactivity. Go back to the product's webhook settings and open them again to continue.",
  },
  ended: {
    title: "You have left the webhook settings",
    body: "Your session has ended. To come back, open the webhook settings again from the product.",
  },
  unavailable: {
    title: "The webhook settings are unavailable",
    body: "We couldn't check your access just now. Reload the page to try again.",
  },
};

/** The clear page for a visit without a usable ticket or session. */
export function AccessNeeded({ reason, error }: { reason: AccessReason; error?: unknown }) {
  const copy = COPY[reason];
  return (
    <section
      aria-labelledby="access-title"
      className="mx-auto my-8 max-w-lg rounded-xl border border-(--hl-border) bg-(--hl-surface) p-6 text-center shadow-(--hl-shadow) sm:p-8"
      data-testid="access-needed"
      data-reason={reason}
    >
      <div
        aria-hidden="true"
        className="mx-auto mb-4 grid h-12 w-12 place-items-center rounded-full bg-(--hl-brand-soft) text-(--hl-brand-text)"
      >
        <svg
          viewBox="0 0 24 24"
          className="h-6 w-6"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <rect x="5" y="10.5" width="14" height="10" rx="2" />
          <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" strokeLinecap="round" />
        </svg>
      </div>
      <h1 id="access-title" className="text-xl font-semibold tracking-tight">
        {copy.title}
      </h1>
      <p className="mt-2 text-sm text-(--hl-muted)">{copy.body}</p>
      {reason === "unavailable" && error ? (
        <p className="mt-3 text-xs text-(--hl-subtle)">{errorMessage(error)}</p>
      ) : null}
      {reason === "unavailable" ? (
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-5 inline-flex h-10 items-center rounded-md bg-(--hl-brand) px-4 text-sm font-medium text-(--hl-brand-fg) focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-(--hl-brand)"
        >
          Reload
        </button>
      ) : null}
    </section>
  );
}
