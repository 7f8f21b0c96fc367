-- Standard Webhooks v1a (Ed25519) signatures (issue 15, part 3). An app chooses how its endpoints
-- sign (hmac: v1, ed25519: v1a, both); an endpoint may override it (null: inherit). Ed25519 key
-- pairs sit next to the HMAC secrets, with the same rotation; only their public key is in clear.
ALTER TABLE "apps" ADD COLUMN "signature_scheme" TEXT NOT NULL DEFAULT 'hmac';

ALTER TABLE "endpoints" ADD COLUMN "signature_scheme" TEXT;

ALTER TABLE "endpoint_secrets" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'hmac',
ADD COLUMN "public_key" TEXT;
