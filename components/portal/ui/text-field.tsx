"use client";
import { forwardRef, useId, type InputHTMLAttributes } from "react";
import { DateTimeField } from "@/components/portal/date-time-field";
import { controlClass, describedBy, type LabelledFieldProps } from "./field-control";
import { FieldShell } from "./field-shell";

export const TextField = forwardRef<
  HTMLInputElement,
  LabelledFieldProps & InputHTMLAttributes<HTMLInputElement>
>(function TextField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
  ref,
) {
  const autoId = useId();
  const id = givenId ?? autoId;
  if (input.type === "datetime-local") {
    // One text field instead of the browser's segmented control (date-time-field.tsx).
    const { type: _type, value, ...rest } = input;
    void _type;
    return (
      <DateTimeField
        ref={ref}
        id={id}
        hint={hint}
        error={error}
        value={typeof value === "string" ? value : ""}
        aria-required={required || undefined}
        className={(shown) => controlClass(shown, "h-10 min-w-[12.5rem] font-mono tabular-nums")}
        shell={(parts) => (
          <FieldShell
            id={parts.id}
            label={label}
            hint={parts.hint}
            error={parts.error}
            required={required}
            className={className}
            labelHidden={labelHidden}
          >
            {parts.input}
          </FieldShell>
        )}
        {...rest}
      />
    );
  }
  return (
    <FieldShell
      id={id}
      label={label}
      hint={hint}
      error={error}
      required={required}
      className={className}
      labelHidden={labelHidden}
    >
      <input
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required || undefined}
        className={controlClass(error, "h-10")}
        {...input}
      />
    </FieldShell>
  );
});
