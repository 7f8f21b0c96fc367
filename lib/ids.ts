import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A prefixed, time-ordered id (`ep_01jc...`): 48 bits of milliseconds then 80 random bits, in
 * Crockford base32. Ids made later sort later, which keeps B-tree inserts at the right edge.
 */
export function newId(prefix: IdPrefix): string {
  let out = idAt(prefix, Date.now());
  const random = randomBytes(16);
  for (let i = 0; i < 16; i++) out += CROCKFORD[random[i]! % 32];
  return out;
}

/**
 * The time part of an id made at `ms` (`dlv_01jc...`, 10 characters after the prefix): every
 * id made at or after `ms` sorts at or after it, bytewise. Partition bounds are built from it.
 */
export function idAt(prefix: IdPrefix, ms: number): string {
  let time = Math.max(0, Math.floor(ms));
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[time % 32] + out;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${out}`;
}

/** The millisecond an id (or an `idAt` bound) was made at; null when it has no time part. */
export function timeOfId(id: string): number | null {
  const stem = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  if (stem.length !== 10) return null;
  let ms = 0;
  for (const c of stem) {
    const digit = CROCKFORD.indexOf(c);
    if (digit < 0) return null;
    ms = ms * 32 + digit;
  }
  return ms;
}

export type IdPrefix =
  | "key" // API key
  | "app"
  | "ep" // endpoint
  | "sec" // endpoint secret
  | "evt" // event type
  | "msg" // event (message)
  | "dlv" // delivery
  | "atm" // attempt
  | "rpl" // replay task
  | "tkt" // ticket
  | "atk" // app-scoped token (Svix surface)
  | "aud" // audit log row
  | "ope" // operational event
  | "opr"; // console operator
