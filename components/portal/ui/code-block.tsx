import { cx, focusRing } from "./class-names";

export function CodeBlock({
  children,
  label,
  className,
  maxHeight = "max-h-80",
}: {
  children: string;
  label: string;
  className?: string;
  maxHeight?: string;
}) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={cx(
        "overflow-auto rounded-md border border-(--hl-border) bg-(--hl-code-bg) p-3 font-mono text-xs leading-5 whitespace-pre",
        maxHeight,
        focusRing,
        className,
      )}
    >
      {children || <span className="text-(--hl-subtle)">(empty)</span>}
    </pre>
  );
}
