/**
 * What the portal's server render knows about the app before the browser asks: its name and
 * branding from the session cookie, so the first paint already has the right theme, colour and
 * logo. Nothing secret (no CSRF token); no cookie or any error: null.
 */
import { cookies } from "next/headers";
import { getDb } from "@/lib/db/client";
import { readPortalSession } from "@/lib/sessions/portal-session";

export interface InitialBranding {
  name: string;
  theme: string | null;
  primaryColor: string | null;
  logoUrl: string | null;
}

export async function initialBranding(): Promise<InitialBranding | null> {
  try {
    const jar = await cookies();
    const cookie = jar
      .getAll()
      .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
      .join("; ");
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
