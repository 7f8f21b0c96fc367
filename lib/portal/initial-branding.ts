/**
 * What the portal's server render knows about the app before the browser asks: its name and
 * branding from the session cookie, so the first paint already has the right theme, colour and
 * logo. Nothing secret (no CSRF token); no session or any error: null. The page hands over the
 * request's cookies (`app/portal/layout.tsx`), so nothing here depends on Next.
 */
import { getDb } from "@/lib/db/client";
import { readPortalSession } from "@/lib/sessions/portal-session";

export interface InitialBranding {
  name: string;
  theme: string | null;
  primaryColor: string | null;
  logoUrl: string | null;
}

/** `cookie`: the request's Cookie header. */
export async function initialBranding(cookie: string): Promise<InitialBranding | null> {
  try {
    if (!cookie) return null;
    const session = await readPortalSession(
      new Request("http://portal.invalid/", { headers: { cookie } }),
    );
    if (!session) return null;
    const app = await getDb().prisma.app.findUnique({
      where: { id: session.appId },
      select: { name: true, branding: true },
    });
    if (!app) return null;
    const branding = (app.branding ?? {}) as {
      theme?: string;
      primary_color?: string;
      logo_url?: string;
    };
    return {
      name: app.name,
      theme: branding.theme ?? null,
      primaryColor: branding.primary_color ?? null,
      logoUrl: branding.logo_url ?? null,
    };
  } catch {
    return null;
  }
}
