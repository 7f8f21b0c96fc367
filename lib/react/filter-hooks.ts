"use client";
/** The payload-filter hook: test a filter against a payload or a catalog example (changes nothing). */
import { useMutation } from "@tanstack/react-query";
import { useHooklineClient } from "@/lib/react/provider";
import type { TestFilterInput, TestFilterResult } from "@/lib/react/types";

/**
 * `testFilter({ filter, event_type })` (or `{ filter, payload }`) asks the server, which evaluates
 * it as fan-out would; `result` is the last answer (`matches`, the filter's JSON form, the payload).
 */
export function useWebhookFilterTest() {
  const client = useHooklineClient();
  const mutation = useMutation({
    mutationFn: (input: TestFilterInput) =>
      client.send<TestFilterResult>("POST", "/filters/test", input),
  });
  return {
    testFilter: mutation.mutateAsync,
    result: mutation.data ?? null,
    testing: mutation.isPending,
    error: mutation.error,
    reset: mutation.reset,
  };
}
