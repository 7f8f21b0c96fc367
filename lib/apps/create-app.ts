import { Prisma, type App } from "@/generated/prisma/client";
import type { CreateAppRequest } from "@/lib/apps/schemas";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/audit/record-audit";

export async function createApp(input: CreateAppRequest, actor: string): Promise<App> {
  const { prisma } = getDb();
  try {
    return await prisma.$transaction(async (tx) => {
      const app = await tx.app.create({
        data: {
          id: newId("app"),
          slug: input.slug,
          name: input.name,
          description: input.description ?? null,
          embedOrigins: input.embed_origins ?? [],
          branding: input.branding ?? {},
          strictCatalog: input.strict_catalog ?? false,
          ...(input.signature_scheme !== undefined && { signatureScheme: input.signature_scheme }),
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
      throw apiErrors.conflict(`An app with slug "${input.slug}" already exists`, {
        field: "slug",
      });
    }
    throw err;
  }
}
