import { requireSecret } from "@/lib/config";
import { decryptSecret } from "@/lib/crypto/secrets";

/**
 * Decrypted signing secrets by secret row id. A row's ciphertext never changes (rotation adds a
 * row), so caching by id is safe; which rows are active is read fresh with every claim.
 */
const MAX_ENTRIES = 20_000;
const cache = new Map<string, string>();

export interface EncryptedSecretRow {
  id: string;
  enc: string;
}

export function decryptSigningSecrets(rows: readonly EncryptedSecretRow[]): string[] {
  return rows.map((row) => {
    let plain = cache.get(row.id);
    if (plain === undefined) {
      plain = decryptSecret(row.enc, requireSecret());
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(row.id, plain);
    }
    return plain;
  });
}
