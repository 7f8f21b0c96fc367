import { z } from "zod";
import { listQuery } from "@/lib/openapi/shared-schemas";
import { signatureScheme } from "@/lib/endpoints/signature-scheme";
import { DELIVERY_FORMAT_DESCRIPTION, deliveryFormat } from "@/lib/endpoints/delivery-format";

/** Request and response shapes for webhook apps: the single source for validation, types and OpenAPI. */
export const appSlug = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, "must be 1-64 characters of a-z, 0-9, _ and -");

const origin = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === "https:" || u.protocol === "http:") && u.origin === v.replace(/\/$/, "");
  } catch {
    return false;
  }
}, "must be an origin like https://app.example.com (scheme, host and port only)");

export const branding = z.strictObject({
  primary_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #4f46e5")
    .optional(),
  logo_url: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .max(2048)
    .optional(),
  theme: z.enum(["light", "dark", "auto"]).optional(),
});

const appFields = {
  name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  description: z.string().max(2000, "must be at most 2000 characters").nullable().optional(),
  embed_origins: z.array(origin).max(50, "at most 50 origins").optional(),
  branding: branding.optional(),
  strict_catalog: z.boolean().optional(),
  signature_scheme: signatureScheme
    .optional()
    .describe(
      "How the app's endpoints sign unless they choose: `hmac` (v1, default), `ed25519` (v1a) or `both`.",
    ),
  delivery_format: deliveryFormat
    .optional()
    .describe(
      "What the app's endpoints receive unless they choose (default `hookline`). " +
        DELIVERY_FORMAT_DESCRIPTION,
    ),
};

/** Seeds 000 and 002 disagree (`app_slug` vs `slug`): both are accepted, `slug` is answered. */
export const createAppRequest = z
  .strictObject({ slug: appSlug.optional(), app_slug: appSlug.optional(), ...appFields })
  .superRefine((v, ctx) => {
    if (!v.slug && !v.app_slug)
      ctx.addIssue({ code: "custom", path: ["slug"], message: "is required (or app_slug)" });
    if (v.slug && v.app_slug && v.slug !== v.app_slug)
      ctx.addIssue({
        code: "custom",
        path: ["app_slug"],
        message: "differs from slug; send one of them",
      });
  })
  .transform(({ app_slug, slug, ...rest }) => ({ ...rest, slug: (slug ?? app_slug)! }));
export type CreateAppRequest = z.output<typeof createAppRequest>;

export const appResponse = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  embed_origins: z.array(z.string()),
  branding: z.object({
    primary_color: z.string().optional(),
    logo_url: z.string().optional(),
    theme: z.string().optional(),
  }),
  strict_catalog: z.boolean(),
  signature_scheme: signatureScheme,
  delivery_format: deliveryFormat,
  created_at: z.string(),
  updated_at: z.string(),
});
export type AppResponse = z.infer<typeof appResponse>;

/** `PATCH /apps/{slug}`: any of the create fields except the slug, which other things refer to. */
export const updateAppRequest = z
  .strictObject(appFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one field to change" });
export type UpdateAppRequest = z.output<typeof updateAppRequest>;

/** `POST /apps/{slug}/rotate-secret`: how many endpoints got a new signing secret. */
export const rotateAppSecretsResponse = z.object({ rotated: z.number().int() });
export type RotateAppSecretsResponse = z.infer<typeof rotateAppSecretsResponse>;

export const listAppsQuery = listQuery;
