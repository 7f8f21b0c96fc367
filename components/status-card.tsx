export function StatusCard({
  label,
  value,
  detail,
  ok,
}: {
  label: string;
  value: string;
  detail?: string;
  ok: boolean;
}) {
  return (
    <section
      className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      aria-label={label}
    >
      <h2 className="text-sm font-medium text-slate-500 dark:text-slate-400">{label}</h2>
      <p className="mt-1 flex items-center gap-2 text-lg font-semibold">
        <span
          aria-hidden
          className={`inline-block h-2.5 w-2.5 rounded-full ${ok ? "bg-emerald-500" : "bg-rose-500"}`}
        />
        <span data-testid={`status-${label.toLowerCase().replace(/\s+/g, "-")}`}>{value}</span>
      </p>
      {detail ? <p className="text-sm text-slate-500 dark:text-slate-400">{detail}</p> : null}
    </section>
  );
}
