import { useId, type ReactNode } from "react";
import { describedBy, type LabelledFieldProps } from "./field-control";
import { FieldShell } from "./field-shell";

/** What a field's control carries so that its label, hint and error describe it. */
export interface ControlAria {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** The given id, or a generated one: a label needs an id to point at. */
export function useFieldId(givenId: string | undefined): string {
  const autoId = useId();
  return givenId ?? autoId;
}

/** A control in its field shell (label, hint, error), wired to them by id. */
export function LabelledControl({
  id,
  required,
  children,
  ...field
}: LabelledFieldProps & {
  id: string;
  required?: boolean;
  children: (aria: ControlAria) => ReactNode;
}) {
  const { hint, error } = field;
  return (
    <FieldShell id={id} required={required} {...field}>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy(id, hint, error),
      })}
    </FieldShell>
  );
}
