import type { App } from "@/generated/prisma/client";
import type { AppResponse } from "@/lib/apps/schemas";
import { effectiveSignatureScheme } from "@/lib/endpoints/signature-scheme";
import { effectiveDeliveryFormat } from "@/lib/endpoints/delivery-format";

export function serializeApp(app: App): AppResponse {
  return {
    id: app.id,
    slug: app.slug,
    name: app.name,
    description: app.description,
    embed_origins: app.embedOrigins,
    branding: (app.branding ?? {}) as AppResponse["branding"],
    strict_catalog: app.strictCatalog,
    signature_scheme: effectiveSignatureScheme(null, app.signatureScheme),
    delivery_format: effectiveDeliveryFormat(null, app.deliveryFormat),
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}
