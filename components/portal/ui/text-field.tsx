"use client";
import { forwardRef, type InputHTMLAttributes } from "react";
import { DateTimeField } from "@/components/portal/date-time-field";
import { controlClass, type LabelledFieldProps } from "./field-control";
import { FieldShell } from "./field-shell";
import { LabelledControl, useFieldId } from "./labelled-control";

export const TextField = forwardRef<
  HTMLInputElement,
  LabelledFieldProps & InputHTMLAttributes<HTMLInputElement>
>(function TextField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
  ref,
) {
  const id = useFieldId(givenId);
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
  const field = { label, hint, error, className, labelHidden, required };
  return (
    <LabelledControl id={id} {...field}>
      {(aria) => (
        <input
          ref={ref}
          {...aria}
          aria-required={required || undefined}
          className={controlClass(error, "h-10")}
          {...input}
        />
      )}
    </LabelledControl>
  );
});
