/**
 * Custom endpoint headers at rest. Their values are often credentials (`Authorization`,
 * `X-Api-Key`), so a row keeps two columns:
 * - `headers`: what reads show — the names, with sensitive values masked (maskHeaders). Reads
 *   never need the key.
 * - `headers_encrypted`: every header with its real value, AES-256-GCM under HOOKLINE_SECRET
 *   like signing secrets (lib/crypto/secrets.ts); decrypted only to send a delivery or to keep a
 *   masked value on update.
 * Rows written before encryption existed hold plaintext `headers` and no ciphertext; the server
 * encrypts them at start-up (encryptPlaintextEndpointHeaders), and until then they are read as
 * they are.
 */
import { requireSecret } from "@/lib/config";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { maskHeaders } from "@/lib/endpoints/custom-headers";

export interface StoredHeaders {
  headers: Record<string, string>;
  headersEncrypted: string | null;
}

/** The two columns for these headers (no ciphertext when there are none). */
export function sealHeaders(headers: Record<string, string>): StoredHeaders {
  if (Object.keys(headers).length === 0) return { headers: {}, headersEncrypted: null };
  return {
    headers: maskHeaders(headers),
    headersEncrypted: encryptSecret(JSON.stringify(headers), requireSecret()),
  };
}

// A ciphertext never changes (a new value is a new ciphertext), so caching by it is safe; the
// claim path opens the same endpoint's headers for every delivery.
const MAX_CACHED = 5_000;
const opened = new Map<string, Record<string, string>>();

/** The real header values of a row: decrypted, or a not yet encrypted row's plaintext. */
export function openHeaders(row: {
  headers: unknown;
  headersEncrypted: string | null;
}): Record<string, string> {
  if (row.headersEncrypted === null) return (row.headers ?? {}) as Record<string, string>;
  let headers = opened.get(row.headersEncrypted);
  if (!headers) {
    headers = JSON.parse(decryptSecret(row.headersEncrypted, requireSecret())) as Record<
      string,
      string
    >;
    if (opened.size >= MAX_CACHED) opened.delete(opened.keys().next().value!);
    opened.set(row.headersEncrypted, headers);
  }
  return headers;
}

/**
 * Encrypts the headers of rows stored in plaintext (before the `headers_encrypted` column), in
 * batches. Each row is rewritten only if it is unchanged since it was read, so this can run
 * beside writes and in several processes at once. Returns how many rows it encrypted.
 */
export async function encryptPlaintextEndpointHeaders(batchSize = 500): Promise<number> {
  const { prisma } = getDb();
  let total = 0;
  let after = "";
  for (;;) {
    const rows = await prisma.$queryRaw<Array<{ id: string; headers: Record<string, string> }>>`
      SELECT id, headers FROM endpoints
      WHERE headers_encrypted IS NULL AND headers <> '{}'::jsonb AND id > ${after}
      ORDER BY id LIMIT ${batchSize}`;
    for (const row of rows) {
      const sealed = sealHeaders(row.headers);
      total += await prisma.$executeRaw`
        UPDATE endpoints SET headers = ${JSON.stringify(sealed.headers)}::jsonb,
          headers_encrypted = ${sealed.headersEncrypted}
        WHERE id = ${row.id} AND headers_encrypted IS NULL
          AND headers = ${JSON.stringify(row.headers)}::jsonb`;
    }
    if (rows.length < batchSize) return total;
    after = rows[rows.length - 1]!.id;
  }
}
