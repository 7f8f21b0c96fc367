"use client";
/**
 * A date and time as one text field ("2026-12-06 14:30", the user's local time, the time zone
 * named under it): one tab stop, where the browser's `datetime-local` costs six or seven (one per
 * segment and the picker) and its text cannot be pasted whole. Its value and `onChange` are
 * those of a `datetime-local` input (`YYYY-MM-DDTHH:MM`, or "" when empty), so forms keep their
 * code; a half-typed or impossible date is not passed on, and is named at the field on blur.
 */
import {
  useId,
  useState,
  useSyncExternalStore,
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
} from "react";
import { dateTimeText, localTimeZone, parseDateTimeText } from "@/lib/portal/format";

const noSubscription = () => () => {};

export interface DateTimeFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "value" | "type" | "className"
> {
  ref?: Ref<HTMLInputElement>;
  value: string;
  /** The input's classes, for the error shown (a typed date that cannot be is one). */
  className: (error: string | undefined) => string;
  invalidMessage?: string;
  /** The field's shell: label, hint and error around the input (FieldShell in ui/field-shell.tsx). */
  shell: (parts: { id: string; hint: ReactNode; error?: string; input: ReactNode }) => ReactNode;
  hint?: ReactNode;
  error?: string;
}

export function DateTimeField({
  value,
  onChange,
  onBlur,
  shell,
  hint,
  error,
  id: givenId,
  invalidMessage = "Enter a date and time like 2026-12-06 14:30",
  className,
  ...input
}: DateTimeFieldProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const [draft, setDraft] = useState(() => dateTimeText(value));
  const [shownValue, setShownValue] = useState(value);
  const [bad, setBad] = useState(false);
  // A new value from outside (a reset, a default) replaces what is typed, unless it is what the
  // typed text already means.
  if (value !== shownValue) {
    setShownValue(value);
    if (parseDateTimeText(draft) !== value) {
      setDraft(dateTimeText(value));
      setBad(false);
    }
  }
  const zone = useSyncExternalStore(noSubscription, localTimeZone, () => null);
  const shownError = error ?? (bad ? invalidMessage : undefined);
  const fullHint = (
    <>
      {hint ? <>{hint} </> : null}
      {zone ? <>Time zone: {zone}.</> : null}
    </>
  );
  const describedBy = shownError ? `${id}-error` : `${id}-hint`;
  return shell({
    id,
    hint: fullHint,
    error: shownError,
    input: (
      <input
        {...input}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        placeholder="YYYY-MM-DD HH:MM"
        aria-invalid={shownError ? true : undefined}
        aria-describedby={describedBy}
        className={className(shownError)}
        value={draft}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          const parsed = parseDateTimeText(text);
          if (parsed === null) return;
          setBad(false);
          if (parsed !== value) {
            setShownValue(parsed);
            onChange?.({
              ...e,
              target: { ...e.target, value: parsed },
              currentTarget: { ...e.currentTarget, value: parsed },
            } as ChangeEvent<HTMLInputElement>);
          }
        }}
        onBlur={(e) => {
          setBad(parseDateTimeText(draft) === null);
          onBlur?.(e);
        }}
      />
    ),
  });
}
