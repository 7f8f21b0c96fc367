"use client";
import { forwardRef, type SelectHTMLAttributes } from "react";
import { controlClass, type LabelledFieldProps } from "./field-control";
import { LabelledControl, useFieldId } from "./labelled-control";

export const SelectField = forwardRef<
  HTMLSelectElement,
  LabelledFieldProps & SelectHTMLAttributes<HTMLSelectElement>
>(function SelectField(
  { label, hint, error, className, labelHidden, id: givenId, required, children, ...input },
  ref,
) {
  const field = { label, hint, error, className, labelHidden, required };
  return (
    <LabelledControl id={useFieldId(givenId)} {...field}>
      {(aria) => (
        <select ref={ref} {...aria} className={controlClass(error, "h-10 pr-8")} {...input}>
          {children}
        </select>
      )}
    </LabelledControl>
  );
});
