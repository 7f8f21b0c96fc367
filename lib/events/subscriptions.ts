/**
 * The subscription patterns that match an event name: the name itself, `*`, and `prefix.*` for
 * every proper prefix (`invoice.*` matches `invoice.paid` and `invoice.paid.late`, not `invoice`).
 */
export function matchingPatterns(eventName: string): string[] {
  const segments = eventName.split(".");
  const patterns = [eventName, "*"];
  for (let i = 1; i < segments.length; i++) patterns.push(`${segments.slice(0, i).join(".")}.*`);
  return patterns;
}

/** True when an endpoint with these subscriptions and channels receives the event (what fanOutQueuedEvents in lib/delivery/fan-out-events.ts does in SQL). */
export function endpointMatches(
  endpoint: { subscriptions: readonly string[]; channels: readonly string[] },
  event: { name: string; channels: readonly string[] },
): boolean {
  const patterns = new Set(matchingPatterns(event.name));
  if (!endpoint.subscriptions.some((s) => patterns.has(s))) return false;
  return (
    endpoint.channels.length === 0 || endpoint.channels.some((c) => event.channels.includes(c))
  );
}
