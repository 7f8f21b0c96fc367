"use client";
import { forwardRef, type TextareaHTMLAttributes } from "react";
import { controlClass, type LabelledFieldProps } from "./field-control";
import { LabelledControl, useFieldId } from "./labelled-control";

export const TextAreaField = forwardRef<
  HTMLTextAreaElement,
  LabelledFieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>
>(function TextAreaField(
  { label, hint, error, className, labelHidden, id: givenId, required, ...input },
  ref,
) {
  const field = { label, hint, error, className, labelHidden, required };
  return (
    <LabelledControl id={useFieldId(givenId)} {...field}>
      {(aria) => (
        <textarea
          ref={ref}
          {...aria}
          className={controlClass(error, "py-2 font-mono text-xs leading-5")}
          {...input}
        />
      )}
    </LabelledControl>
  );
});
