import type { ReactNode } from "react";
import { AppPages } from "@/components/console/app-portal";

/** An app's tabs: its summary, then the portal's own pages for it (components/console/app-portal). */
export default async function ConsoleAppLayout({
  params,
  children,
}: {
  params: Promise<{ slug: string }>;
  children: ReactNode;
}) {
  const slug = decodeURIComponent((await params).slug);
  return (
    <AppPages key={slug} slug={slug}>
      {children}
    </AppPages>
  );
}
