"use client";
import { forwardRef, useId, type TextareaHTMLAttributes } from "react";
import { controlClass, describedBy, type LabelledFieldProps } from "./field-control";
import { FieldShell } from "./field-shell";

export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  LabelledFieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>
>(function TextAreaField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
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
      <textarea
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={controlClass(error, "py-2 font-mono text-xs leading-5")}
        {...input}
      />
    </FieldShell>
  );
});
