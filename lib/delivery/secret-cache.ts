import type { KeyObject } from "node:crypto";
import { requireSecret } from "@/lib/config";
import { parseEd25519SigningKey } from "@/lib/crypto/ed25519-keys";
import { decryptSecret } from "@/lib/crypto/secrets";
import {
  signsWithEd25519,
  signsWithHmac,
  type SignatureScheme,
} from "@/lib/endpoints/signature-scheme";

/**
 * Decrypted signing secrets by secret row id. A row's ciphertext never changes (rotation adds a
 * row), so caching by id is safe; which rows are active is read fresh with every claim. Ed25519
 * keys are cached as parsed KeyObjects: importing one costs more than signing with it.
 */
const MAX_ENTRIES = 20_000;
const cache = new Map<string, string | KeyObject>();

export interface EncryptedSecretRow {
  id: string;
  enc: string;
  /** `hmac` (a `whsec_` secret) or `ed25519` (a `whsk_` key). */
  kind: string;
}

function cached<T extends string | KeyObject>(
  row: EncryptedSecretRow,
  open: (plain: string) => T,
): T {
  let value = cache.get(row.id) as T | undefined;
  if (value === undefined) {
    value = open(decryptSecret(row.enc, requireSecret()));
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(row.id, value);
  }
  return value;
}

export interface SigningMaterial {
  /** `whsec_` secrets: one `v1` signature each. */
  secrets: string[];
  /** Private keys: one `v1a` signature each. */
  ed25519Keys: KeyObject[];
}

/** What signs under `scheme`, from the endpoint's active rows (current first, order kept). */
export function signingMaterialFor(
  rows: readonly EncryptedSecretRow[],
  scheme: SignatureScheme,
): SigningMaterial {
  return {
    secrets: signsWithHmac(scheme)
      ? rows.filter((row) => row.kind === "hmac").map((row) => cached(row, (plain) => plain))
      : [],
    ed25519Keys: signsWithEd25519(scheme)
      ? rows
          .filter((row) => row.kind === "ed25519")
          .map((row) => cached(row, parseEd25519SigningKey))
      : [],
  };
}
