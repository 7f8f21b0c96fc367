"use client";
import { useEffect, useMemo, useState } from "react";

/**
 * Calls `settle` with the last value pushed once `delayMs` pass without another push: what a
 * debounced value is, apart from React.
 */
export function createDebouncer<T>(delayMs: number, settle: (value: T) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    push(value: T) {
      clearTimeout(timer);
      timer = setTimeout(() => settle(value), delayMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

/**
 * `value` once it has stopped changing for `delayMs` (the first value at once). Key queries on it
 * so typing asks once, when the typing pauses.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  const debouncer = useMemo(() => createDebouncer<T>(delayMs, setSettled), [delayMs]);
  useEffect(() => {
    debouncer.push(value);
    return debouncer.cancel;
  }, [debouncer, value]);
  return settled;
}
