import { postToParent, rememberedEmbedOrigins } from "@/lib/portal/embed";

/**
 * The open modals, topmost last: the toasts render inside the topmost one so they show above
 * it (and are not made inert by it).
 */
const openModals: HTMLElement[] = [];
const modalListeners = new Set<() => void>();
export function setModalOpen(dialog: HTMLElement | null, isOpen: boolean) {
  if (!dialog) return;
  const before = openModals.length;
  const i = openModals.indexOf(dialog);
  if (i >= 0) openModals.splice(i, 1);
  if (isOpen) openModals.push(dialog);
  // The host keeps its page still while a dialog is open (docs/embedding.md).
  if ((before === 0) !== (openModals.length === 0))
    postToParent({ type: "hookline:modal", open: openModals.length > 0 }, rememberedEmbedOrigins());
  modalListeners.forEach((l) => l());
}
export function subscribeModals(listener: () => void): () => void {
  modalListeners.add(listener);
  return () => modalListeners.delete(listener);
}
/** The toast slot of the topmost open modal. */
export function topModal(): HTMLElement | null {
  return openModals.at(-1) ?? null;
}
