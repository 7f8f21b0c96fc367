/**
 * Operational-webhook endpoints: environment-wide receivers of operational events, registered
 * through the Svix API (`/operational-webhook/endpoint`), each signing with its own `whsec_`
 * secret (encrypted at rest). Every operational event recorded afterwards is due to each enabled
 * endpoint whose `eventTypes` include its Svix type (lib/operational-events/record.ts), and is
 * sent by lib/operational-events/dispatch.ts.
 */
import { randomInt } from "node:crypto";
import { z } from "zod";
import { Prisma, type OperationalWebhookEndpoint } from "@/generated/prisma/client";
import { requireSecret } from "@/lib/config";
import { decryptSecret, encryptSecret, generateSigningSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { SVIX_OPERATIONAL_TYPES } from "@/lib/operational-events/webhook-payload";

const SVIX_NAME = /^[a-zA-Z0-9\-_.]+$/;
const SECRET = /^(whsec_)?[a-zA-Z0-9+/=]{32,100}$/;
const DEFAULT_GRACE_SECONDS = 24 * 60 * 60;

const httpUrl = z
  .string()
  .max(65_536)
  .refine((v) => {
    try {
      return ["http:", "https:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

/** `OperationalWebhookEndpointUpsertIn` (PUT) and, with `secret`, `...In` (POST). */
export const operationalEndpointUpsertIn = z.object({
  url: httpUrl,
  description: z.string().max(1_000).default(""),
  throttleRate: z.number().int().min(1).max(65_535).nullish(),
  uid: z.string().min(1).max(256).regex(SVIX_NAME, "must be letters, digits, - _ or .").nullish(),
  disabled: z.boolean().default(false),
  eventTypes: z
    .array(z.enum(SVIX_OPERATIONAL_TYPES, { message: "is not an operational event type" }))
    .min(1)
    .refine((v) => new Set(v).size === v.length, "must not repeat a type")
    .nullish(),
  metadata: z.record(z.string(), z.string()).default({}),
  headers: z.record(z.string(), z.string()).nullish(),
});
export const operationalEndpointIn = operationalEndpointUpsertIn.extend({
  secret: z.string().regex(SECRET, "must be a whsec_ secret (32-100 base64 characters)").nullish(),
});
export const operationalSecretIn = z.object({
  key: z.string().regex(SECRET, "must be a whsec_ secret (32-100 base64 characters)").nullish(),
  gracePeriodSeconds: z.number().int().min(0).max(604_800).nullish(),
});
export type OperationalEndpointUpsertIn = z.output<typeof operationalEndpointUpsertIn>;
export type OperationalEndpointIn = z.output<typeof operationalEndpointIn>;
export type OperationalSecretIn = z.output<typeof operationalSecretIn>;

export interface OperationalEndpointOut {
  id: string;
  uid: string | null;
  url: string;
  description: string;
  disabled: boolean;
  eventTypes: string[] | null;
  throttleRate: number | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export function serializeOperationalEndpoint(
  e: OperationalWebhookEndpoint,
): OperationalEndpointOut {
  return {
    id: e.id,
    uid: e.uid,
    url: e.url,
    description: e.description,
    disabled: e.disabled,
    eventTypes: e.eventTypes.length > 0 ? e.eventTypes : null,
    throttleRate: e.throttleRate,
    metadata: e.metadata as Record<string, string>,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Svix's endpoint id shape, `ep_` and 27 characters: a Hookline id and one more random one. */
function operationalEndpointId(): string {
  return newId("ep") + "0123456789abcdefghjkmnpqrstvwxyz"[randomInt(32)];
}

const notFound = () => apiErrors.notFound("Operational webhook endpoint");
const uidTaken = (uid: string) =>
  apiErrors.conflict(`An operational webhook endpoint with uid "${uid}" already exists`);

/** The stored columns of an upsert body (the secret apart). */
function columns(input: OperationalEndpointUpsertIn) {
  return {
    url: input.url,
    description: input.description,
    throttleRate: input.throttleRate ?? null,
    uid: input.uid ?? null,
    disabled: input.disabled,
    eventTypes: input.eventTypes ?? [],
    metadata: input.metadata,
    headers: input.headers ?? {},
  };
}

async function uniqueUid<T>(uid: string | null | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (uid && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw uidTaken(uid);
    throw err;
  }
}

export async function createOperationalEndpoint(
  input: OperationalEndpointIn,
): Promise<OperationalEndpointOut> {
  const secret = input.secret ?? generateSigningSecret();
  const created = await uniqueUid(input.uid, () =>
    getDb().prisma.operationalWebhookEndpoint.create({
      data: {
        id: operationalEndpointId(),
        ...columns(input),
        secretEncrypted: encryptSecret(secret, requireSecret()),
      },
    }),
  );
  return serializeOperationalEndpoint(created);
}

/** By id or uid; an id wins over another endpoint's equal uid. */
export async function findOperationalEndpoint(
  idOrUid: string,
): Promise<OperationalWebhookEndpoint> {
  const rows = await getDb().prisma.operationalWebhookEndpoint.findMany({
    where: { OR: [{ id: idOrUid }, { uid: idOrUid }] },
    take: 2,
  });
  const found = rows.find((r) => r.id === idOrUid) ?? rows[0];
  if (!found) throw notFound();
  return found;
}

export async function getOperationalEndpoint(idOrUid: string): Promise<OperationalEndpointOut> {
  return serializeOperationalEndpoint(await findOperationalEndpoint(idOrUid));
}

/** PUT: every field replaced (defaults for those left out). */
export async function updateOperationalEndpoint(
  idOrUid: string,
  input: OperationalEndpointUpsertIn,
): Promise<OperationalEndpointOut> {
  const existing = await findOperationalEndpoint(idOrUid);
  const updated = await uniqueUid(input.uid, () =>
    getDb().prisma.operationalWebhookEndpoint.update({
      where: { id: existing.id },
      data: columns(input),
    }),
  );
  return serializeOperationalEndpoint(updated);
}

export async function deleteOperationalEndpoint(idOrUid: string): Promise<void> {
  const existing = await findOperationalEndpoint(idOrUid);
  await getDb().prisma.operationalWebhookEndpoint.delete({ where: { id: existing.id } });
}

export async function getOperationalEndpointSecret(idOrUid: string): Promise<{ key: string }> {
  const endpoint = await findOperationalEndpoint(idOrUid);
  return { key: decryptSecret(endpoint.secretEncrypted, requireSecret()) };
}

/** A new secret (given or generated); the old one keeps signing for the grace period. */
export async function rotateOperationalEndpointSecret(
  idOrUid: string,
  input: OperationalSecretIn,
): Promise<void> {
  const endpoint = await findOperationalEndpoint(idOrUid);
  const grace = input.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  const key = input.key ?? generateSigningSecret();
  await getDb().prisma.operationalWebhookEndpoint.update({
    where: { id: endpoint.id },
    data: {
      secretEncrypted: encryptSecret(key, requireSecret()),
      previousSecretEncrypted: grace > 0 ? endpoint.secretEncrypted : null,
      previousSecretExpiresAt: grace > 0 ? new Date(Date.now() + grace * 1000) : null,
    },
  });
}

/** The secrets an endpoint signs with now: the current one, then the previous within its grace. */
export function operationalEndpointSecrets(
  e: Pick<
    OperationalWebhookEndpoint,
    "secretEncrypted" | "previousSecretEncrypted" | "previousSecretExpiresAt"
  >,
  now = new Date(),
): string[] {
  const key = requireSecret();
  const secrets = [decryptSecret(e.secretEncrypted, key)];
  if (e.previousSecretEncrypted && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now)
    secrets.push(decryptSecret(e.previousSecretEncrypted, key));
  return secrets;
}

/** Environment-wide list, oldest first by default (Svix's order for endpoints). */
export function listOperationalEndpointsQuery(where: object, orderBy: object[], take: number) {
  return getDb().prisma.operationalWebhookEndpoint.findMany({ where, orderBy, take });
}
