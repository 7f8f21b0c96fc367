import type { App } from "@/generated/prisma/client";
import type { SvixAppFields } from "@/lib/apps/create-app";
import type { UpdateAppRequest } from "@/lib/apps/schemas";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { invalidateCaches } from "@/lib/cache/lookup-cache";
import { ensureAppSigningKeys } from "@/lib/endpoints/ed25519-signing-keys";

/** Changes the given fields; `branding` is replaced as a whole. */
export async function updateApp(
  app: App,
  input: Partial<UpdateAppRequest> & { svix?: SvixAppFields },
  actor: string,
): Promise<App> {
  const { svix, ...fields } = input;
  const updated = await getDb().prisma.$transaction(
    async (tx) => {
      const updated = await tx.app.update({
        where: { id: app.id },
        data: {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.embed_origins !== undefined && { embedOrigins: input.embed_origins }),
          ...(input.branding !== undefined && { branding: input.branding }),
          ...(input.strict_catalog !== undefined && { strictCatalog: input.strict_catalog }),
          ...(input.signature_scheme !== undefined && { signatureScheme: input.signature_scheme }),
          ...(svix?.uid !== undefined && { svixUid: svix.uid }),
          ...(svix?.metadata !== undefined && { metadata: svix.metadata }),
          ...(svix?.throttleRate !== undefined && { throttleRate: svix.throttleRate }),
          ...(input.delivery_format !== undefined && { deliveryFormat: input.delivery_format }),
        },
      });
      if (input.signature_scheme !== undefined)
        await ensureAppSigningKeys(tx, app.id, input.signature_scheme);
      await recordAudit(tx, {
        appId: app.id,
        actor,
        action: "app.updated",
        targetType: "app",
        targetId: app.id,
        details: { fields: [...Object.keys(fields), ...Object.keys(svix ?? {})] },
      });
      return updated;
      // Switching to ed25519 makes a key pair for each inheriting endpoint: a few ms per hundred.
    },
    { timeout: 60_000 },
  );
  invalidateCaches("apps"); // this process at once; others by notification
  return updated;
}
