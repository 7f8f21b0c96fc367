import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { PortalShell } from "@/components/portal/portal-shell";
import { initialBranding } from "@/lib/portal/initial-branding";
import "./portal.css";

// Per request: the session decides the branding, and proxy.ts the frame-ancestors policy.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Webhooks",
  robots: { index: false, follow: false },
  referrer: "same-origin",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
};

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const cookie = (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
  return <PortalShell initial={await initialBranding(cookie)}>{children}</PortalShell>;
}
