import type { ReactNode } from "react";

export function PageHeader({
  title,
  description,
  actions,
  docTitle,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  docTitle?: string;
}) {
  const pageTitle = docTitle ?? (typeof title === "string" ? title : null);
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      {pageTitle ? <title>{`${pageTitle} · Webhooks`}</title> : null}
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {description ? (
          <p className="mt-1 max-w-2xl text-sm text-(--hl-muted)">{description}</p>
        ) : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
