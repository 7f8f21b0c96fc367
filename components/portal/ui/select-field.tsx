"use client";
import { forwardRef, useId, type SelectHTMLAttributes } from "react";
import { controlClass, describedBy, type LabelledFieldProps } from "./field-control";
import { FieldShell } from "./field-shell";

export const SelectField = forwardRef<
  HTMLSelectElement,
  LabelledFieldProps & SelectHTMLAttributes<HTMLSelectElement>
>(function SelectField(
  { label, hint, error, className, labelHidden, id: givenId, required, children, ...input },
  ref,
) {
  const autoId = useId();
  const id = givenId ?? autoId;
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
      <select
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={controlClass(error, "h-10 pr-8")}
        {...input}
      >
        {children}
      </select>
    </FieldShell>
  );
});
