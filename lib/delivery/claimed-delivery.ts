/**
 * What one attempt needs, read in the statement that leases the delivery. The event's payload
 * (and the body built from it) is held once per event, shared by every claimed delivery of that
 * event: a 1 MB payload fanned out to 10,000 endpoints is in memory once, not once per claim.
 */
import type { KeyObject } from "node:crypto";
import { envelopeBody } from "@/lib/delivery/payload";
import { payloadTextColumns, payloadTextOf } from "@/lib/events/payload-text";
import { signingMaterialFor, type EncryptedSecretRow } from "@/lib/delivery/secret-cache";
import { effectiveSignatureScheme } from "@/lib/endpoints/signature-scheme";
import { effectiveDeliveryFormat, type DeliveryFormat } from "@/lib/endpoints/delivery-format";
import { openHeaders } from "@/lib/endpoints/stored-headers";
import type { AttemptTrigger } from "@/lib/delivery/states";

/** An event as attempts see it; one object per event, shared. */
export interface LoadedEvent {
  id: string;
  name: string;
  createdAt: Date;
  /**
   * The payload's stored JSON text (lib/events/payload-text.ts), sent as is so its key order is
   * the producer's; null once retention removed it.
   */
  payloadText: string | null;
  expired: boolean;
  /**
   * The request body per delivery format (the same bytes for every endpoint, retry and replay in
   * that format), built on first use.
   */
  body?: string;
  rawBody?: string;
}

export function deliveryBodyOf(event: LoadedEvent, format: DeliveryFormat): string {
  // An expired payload is never sent (the attempt cancels the delivery); "null" only types it.
  const payloadText = event.payloadText ?? "null";
  if (format === "svix") return (event.rawBody ??= payloadText);
  return (event.body ??= envelopeBody({
    eventName: event.name,
    eventCreatedAt: event.createdAt,
    payloadText,
  }));
}

/**
 * The `webhook-id` (and `svix-id`): in the `svix` format the event's id, the same on every
 * endpoint, as Svix's message id is; otherwise the delivery's. Both stay fixed across retries
 * and replays.
 */
export function messageIdOf(claim: ClaimedDelivery): string {
  return claim.deliveryFormat === "svix" ? claim.event.id : claim.deliveryId;
}

export interface ClaimedDelivery {
  deliveryId: string;
  appId: string;
  endpointId: string;
  /** The lease holder; only it may record the outcome. */
  leasedBy: string;
  /** In a FIFO endpoint's line: once it is over, the next in line may be claimed. */
  fifo: boolean;
  /** Attempts made before this one. */
  attemptCount: number;
  trigger: AttemptTrigger;
  /** When the delivery was created: its hour is where it counts in the rollups. */
  deliveryCreatedAt: Date;
  /** When its previous attempt failed (null if there was none, or it succeeded): "in a row" counts deliveries. */
  lastFailedAt: Date | null;
  url: string;
  customHeaders: Record<string, string>;
  timeoutSeconds: number;
  maxRetries: number;
  rateLimit: number | null;
  endpointActive: boolean;
  endpointDeleted: boolean;
  event: LoadedEvent;
  /** Every HMAC secret that signs right now under the endpoint's scheme, current first (decrypted). */
  secrets: string[];
  /** Every Ed25519 key that signs right now under the endpoint's scheme (`v1a`), current first. */
  ed25519Keys: KeyObject[];
  /** The endpoint's own format, else its app's. */
  deliveryFormat: DeliveryFormat;
}

/**
 * Events held by a worker for its claimed deliveries, with a count of claims per event, so a
 * claim asks the database only for payloads it does not hold yet.
 */
export interface EventCache {
  get(eventId: string): LoadedEvent | undefined;
  /** Adds a claim's hold on the event (storing it if new). */
  hold(event: LoadedEvent): LoadedEvent;
  /** Drops one hold; the event is forgotten with its last. */
  release(eventId: string): void;
  /** Ids held, for the claim query (payloads of these are not sent again). */
  ids(): string[];
  readonly size: number;
}

export function createEventCache(): EventCache {
  const events = new Map<string, { event: LoadedEvent; holds: number }>();
  return {
    get: (id) => events.get(id)?.event,
    hold(event) {
      const entry = events.get(event.id);
      if (entry) {
        entry.holds++;
        return entry.event;
      }
      events.set(event.id, { event, holds: 1 });
      return event;
    },
    release(id) {
      const entry = events.get(id);
      if (entry && --entry.holds <= 0) events.delete(id);
    },
    ids: () => [...events.keys()],
    get size() {
      return events.size;
    },
  };
}

/** Row shape of CLAIM_COLUMNS. */
export interface ClaimRow {
  id: string;
  app_id: string;
  event_id: string;
  event_name: string;
  endpoint_id: string;
  leased_by: string;
  fifo: boolean;
  attempt_count: number;
  next_attempt_trigger: AttemptTrigger;
  delivery_created_at: Date;
  last_failed_at: Date | null;
  url: string;
  headers: Record<string, string> | null;
  headers_encrypted: string | null;
  timeout_seconds: number;
  max_retries: number;
  rate_limit: number | null;
  is_active: boolean;
  deleted_at: Date | null;
  event_created_at: Date;
  payload_expired: boolean;
  /** Null when the claimer already holds the event (or it expired). */
  payload_text: string | null;
  /** The jsonb, only for an event stored without `payload_text`. */
  payload: unknown;
  secrets: EncryptedSecretRow[];
  /** The endpoint's own scheme, else its app's. */
  signature_scheme: string | null;
  /** The endpoint's own format, else its app's. */
  delivery_format: string | null;
}

/**
 * The columns of a claim, over `l` (the leased queue rows: delivery_id, leased_by, fifo) joined to
 * `d` deliveries, `e` endpoints, `a` apps and `ev` events (`CLAIM_JOINS`). `payloadWanted` is SQL
 * that is true where the payload should be sent. The signing secrets come along (no second round
 * trip); current first.
 */
export function claimColumns(payloadWanted: string): string {
  return `d.id, d.app_id, d.event_id, d.event_name, d.endpoint_id, l.leased_by, l.fifo, d.attempt_count, d.next_attempt_trigger,
  d.created_at AS delivery_created_at, CASE WHEN d.last_error IS NOT NULL THEN d.last_attempt_at END AS last_failed_at,
  e.url, e.headers, e.headers_encrypted, e.timeout_seconds, e.max_retries, e.rate_limit, e.is_active, e.deleted_at,
  ev.created_at AS event_created_at, (ev.payload IS NULL) AS payload_expired,
  ${payloadTextColumns("ev", payloadWanted)},
  coalesce(e.signature_scheme, a.signature_scheme) AS signature_scheme,
  coalesce(e.delivery_format, a.delivery_format) AS delivery_format,
  (SELECT coalesce(json_agg(json_build_object('id', s.id, 'enc', s.secret_encrypted, 'kind', s.kind)
            ORDER BY (s.expires_at IS NULL) DESC, s.created_at DESC, s.id DESC), '[]'::json)
   FROM endpoint_secrets s WHERE s.endpoint_id = d.endpoint_id AND (s.expires_at IS NULL OR s.expires_at > now())) AS secrets`;
}

/**
 * What the claim columns read, after `FROM <leased rows> l`. The log rows are looked up by the
 * ids just leased (`= ANY`): joined on `d.id = l.delivery_id` alone, the planner hashed a
 * sequential scan of every log partition for each claim, whose cost grew with the log.
 */
export const CLAIM_JOINS =
  "JOIN deliveries d ON d.id = l.delivery_id AND d.id = ANY (ARRAY(SELECT delivery_id FROM l)) JOIN endpoints e ON e.id = d.endpoint_id JOIN apps a ON a.id = d.app_id JOIN events ev ON ev.id = d.event_id";

export function toClaim(row: ClaimRow, event: LoadedEvent): ClaimedDelivery {
  return {
    deliveryId: row.id,
    appId: row.app_id,
    endpointId: row.endpoint_id,
    leasedBy: row.leased_by,
    fifo: row.fifo,
    attemptCount: row.attempt_count,
    trigger: row.next_attempt_trigger,
    deliveryCreatedAt: row.delivery_created_at,
    lastFailedAt: row.last_failed_at,
    url: row.url,
    customHeaders: openHeaders({ headers: row.headers, headersEncrypted: row.headers_encrypted }),
    timeoutSeconds: row.timeout_seconds,
    maxRetries: row.max_retries,
    rateLimit: row.rate_limit,
    endpointActive: row.is_active,
    endpointDeleted: row.deleted_at !== null,
    event,
    ...signingMaterialFor(row.secrets, effectiveSignatureScheme(row.signature_scheme, null)),
    deliveryFormat: effectiveDeliveryFormat(row.delivery_format, null),
  };
}

/** The event of a claim row that carries its payload. */
export function loadedEventOf(row: ClaimRow): LoadedEvent {
  return {
    id: row.event_id,
    name: row.event_name,
    createdAt: row.event_created_at,
    payloadText: row.payload_expired
      ? null
      : payloadTextOf({ payloadText: row.payload_text, payload: row.payload }),
    expired: row.payload_expired,
  };
}
