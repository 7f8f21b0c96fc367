/**
 * One attempt for a leased delivery: sign, POST, record. The same function serves the embedded
 * workers, the Inngest attempt step and the synchronous test send.
 */
import { getConfig } from "@/lib/config";
import {
  postWebhook,
  type AttemptResult,
  type DeliveryAgents,
  type ResolveHost,
} from "@/lib/delivery/http-client";
import {
  cancelClaimedDelivery,
  cancelPendingDeliveriesForEndpoint,
} from "@/lib/delivery/cancel-deliveries";
import { deliveryBodyOf, messageIdOf, type ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { maskRequestHeaders } from "@/lib/delivery/payload";
import {
  recordAttemptOutcome,
  type AttemptTransition,
  type OutcomeBatcher,
} from "@/lib/delivery/record-attempt";
import { buildWebhookHeaders } from "@/lib/delivery/sign";

export interface AttemptDeps {
  /** Keep-alive agents shared by a worker; without them each attempt opens a connection. */
  agents?: DeliveryAgents;
  resolveHost?: ResolveHost;
  /** Lets successes share their write with others finishing at the same time (embedded workers). */
  batch?: OutcomeBatcher;
  /**
   * Called once the request is over (answered, failed or timed out), before the outcome is
   * recorded: a worker can start its next attempt while this one's write waits for its batch.
   */
  onSent?: () => void;
}

export type AttemptRun =
  | { kind: "attempted"; result: AttemptResult; transition: AttemptTransition }
  | { kind: "cancelled"; reason: string };

function stringHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== null && value !== undefined) out[name] = String(value);
  }
  return out;
}

function failedBeforeSending(error: string): AttemptResult {
  return {
    ok: false,
    status: null,
    headers: null,
    body: null,
    bodyTruncated: false,
    durationMs: 0,
    error,
    errorCode: null,
    retryAfterSeconds: null,
  };
}

/**
 * Makes the attempt and records it. A delivery whose endpoint is gone (or whose payload expired)
 * is cancelled instead, together with the endpoint's other waiting deliveries.
 * Throws only if the database write fails; the lease then expires and the attempt is repeated.
 */
export async function runClaimedAttempt(
  claim: ClaimedDelivery,
  deps: AttemptDeps = {},
): Promise<AttemptRun> {
  if (claim.endpointDeleted || (!claim.endpointActive && claim.trigger !== "test")) {
    const reason = claim.endpointDeleted ? "Endpoint deleted" : "Endpoint disabled";
    await cancelClaimedDelivery(claim, reason);
    await cancelPendingDeliveriesForEndpoint(claim.endpointId, reason);
    return { kind: "cancelled", reason };
  }
  if (claim.event.expired) {
    const reason = "The event payload expired (retention) before it could be delivered";
    await cancelClaimedDelivery(claim, reason);
    return { kind: "cancelled", reason };
  }

  const attemptedAt = new Date();
  const body = deliveryBodyOf(claim.event, claim.deliveryFormat);
  let headers: Record<string, string> = {};
  let result: AttemptResult;
  const { secrets, ed25519Keys } = claim;
  if (secrets.length === 0 && ed25519Keys.length === 0) {
    result = failedBeforeSending(
      "the endpoint has no signing secret or key for its signature scheme; nothing was sent",
    );
  } else {
    headers = buildWebhookHeaders({
      msgId: messageIdOf(claim),
      timestamp: Math.floor(attemptedAt.getTime() / 1000),
      body,
      secrets,
      ed25519Keys,
      customHeaders: stringHeaders(claim.customHeaders),
      svixHeaders: claim.deliveryFormat === "svix",
    });
    result = await postWebhook({
      url: claim.url,
      headers,
      body,
      timeoutMs: claim.timeoutSeconds * 1000,
      allowPrivate: getConfig().allowPrivateTargets,
      agent: deps.agents,
      resolveHost: deps.resolveHost,
    });
  }
  deps.onSent?.();
  const transition = await recordAttemptOutcome(
    claim,
    { attemptedAt, requestHeaders: maskRequestHeaders(headers), result },
    { batch: deps.batch },
  );
  return { kind: "attempted", result, transition };
}
