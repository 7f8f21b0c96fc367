import { AppDetailPage } from "@/components/console/app-detail";

export default async function ConsoleApp({ params }: { params: Promise<{ slug: string }> }) {
  return <AppDetailPage id={decodeURIComponent((await params).slug)} />;
}
