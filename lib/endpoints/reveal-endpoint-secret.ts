import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { currentSigningSecret } from "@/lib/endpoints/signing-secrets";

/** The current signing secret in plaintext; every reveal is audited. */
export async function revealEndpointSecret(
  app: Pick<App, "id">,
  id: string,
  actor: string,
): Promise<string> {
  return getDb().prisma.$transaction(async (tx) => {
    const endpoint = await getEndpoint(app, id, tx);
    const secret = await currentSigningSecret(endpoint.id, tx);
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "endpoint.secret_viewed",
      targetType: "endpoint",
      targetId: endpoint.id,
    });
    return secret;
  });
}
