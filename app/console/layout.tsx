import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "../portal/portal.css";

// Per request: every console page depends on who is signed in.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Hookline console",
  robots: { index: false, follow: false },
  referrer: "same-origin",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/** The portal's design tokens, following the OS theme (next.config.ts forbids framing). */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <div className="hl-portal min-h-screen" data-theme="auto">
      {children}
    </div>
  );
}
