import { Prisma, type App } from "@/generated/prisma/client";
import type { CreateAppRequest } from "@/lib/apps/schemas";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/audit/record-audit";

/** What the Svix-compatible surface adds to an app (lib/svix). */
export interface SvixAppFields {
  uid?: string | null;
  metadata?: Record<string, string>;
  throttleRate?: number | null;
}

export async function createApp(
  input: CreateAppRequest & { id?: string; svix?: SvixAppFields },
  actor: string,
): Promise<App> {
  const { prisma } = getDb();
  try {
    return await prisma.$transaction(async (tx) => {
      const app = await tx.app.create({
        data: {
          id: input.id ?? newId("app"),
          slug: input.slug,
          name: input.name,
          description: input.description ?? null,
          embedOrigins: input.embed_origins ?? [],
          branding: input.branding ?? {},
          strictCatalog: input.strict_catalog ?? false,
          ...(input.signature_scheme !== undefined && { signatureScheme: input.signature_scheme }),
          ...(input.svix && {
            svixUid: input.svix.uid ?? null,
            metadata: input.svix.metadata ?? {},
            throttleRate: input.svix.throttleRate ?? null,
          }),
          ...(input.delivery_format !== undefined && { deliveryFormat: input.delivery_format }),
        },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor,
        action: "app.created",
        targetType: "app",
        targetId: app.id,
      });
      return app;
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      if (uniqueTarget(err).includes("svix_uid"))
        throw apiErrors.conflict(`An app with uid "${input.svix?.uid}" already exists`, {
          field: "uid",
        });
      throw apiErrors.conflict(`An app with slug "${input.slug}" already exists`, {
        field: "slug",
      });
    }
    throw err;
  }
}

/** The columns of the unique constraint a P2002 hit (Prisma names them one way or another). */
export function uniqueTarget(err: Prisma.PrismaClientKnownRequestError): string {
  return JSON.stringify(err.meta ?? {});
}
