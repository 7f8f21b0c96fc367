import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A prefixed, time-ordered id (`ep_01jc...`): 48 bits of milliseconds then 80 random bits, in
 * Crockford base32. Ids made later sort later, which keeps B-tree inserts at the right edge.
 */
export function newId(prefix: IdPrefix): string {
  let time = Date.now();
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[time % 32] + out;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  for (let i = 0; i < 16; i++) out += CROCKFORD[random[i]! % 32];
  return `${prefix}_${out}`;
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
