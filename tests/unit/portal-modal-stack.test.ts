import { afterEach, describe, expect, it } from "vitest";
import { setModalOpen, subscribeModals, topModal } from "@/components/portal/ui/modal-stack";

// The stack only compares the toast slots by identity, so plain objects stand in for them here.
const slot = (name: string) => ({ name }) as unknown as HTMLElement;

const opened: HTMLElement[] = [];
function open(dialog: HTMLElement) {
  opened.push(dialog);
  setModalOpen(dialog, true);
}

describe("portal modal stack", () => {
  afterEach(() => {
    // The stack is module state: leave it empty for the next test.
    for (const dialog of opened.splice(0)) setModalOpen(dialog, false);
    expect(topModal()).toBeNull();
  });

  it("names the last opened modal as the top one, and the one under it once that closes", () => {
    const page = slot("page dialog");
    const confirm = slot("confirm over it");
    expect(topModal()).toBeNull();
    open(page);
    expect(topModal()).toBe(page);
    open(confirm);
    expect(topModal()).toBe(confirm);
    setModalOpen(confirm, false);
    expect(topModal()).toBe(page);
    setModalOpen(page, false);
    expect(topModal()).toBeNull();
  });

  it("keeps the top one when one under it closes, and brings one shown again to the top", () => {
    const a = slot("a");
    const b = slot("b");
    const c = slot("c");
    open(a);
    open(b);
    open(c);
    setModalOpen(a, false);
    expect(topModal()).toBe(c);
    open(b);
    expect(topModal()).toBe(b);
    setModalOpen(b, false);
    expect(topModal()).toBe(c);
  });

  it("ignores a modal with no toast slot yet", () => {
    const a = slot("a");
    open(a);
    let calls = 0;
    const unsubscribe = subscribeModals(() => calls++);
    setModalOpen(null, true);
    setModalOpen(null, false);
    unsubscribe();
    expect(calls).toBe(0);
    expect(topModal()).toBe(a);
  });

  it("tells each subscriber of every change until it unsubscribes", () => {
    const seen: (HTMLElement | null)[] = [];
    let otherCalls = 0;
    const unsubscribe = subscribeModals(() => seen.push(topModal()));
    const unsubscribeOther = subscribeModals(() => otherCalls++);
    const a = slot("a");
    const b = slot("b");
    open(a);
    open(b);
    setModalOpen(b, false);
    expect(seen).toEqual([a, b, a]);
    expect(otherCalls).toBe(3);
    unsubscribe();
    setModalOpen(a, false);
    expect(seen).toEqual([a, b, a]);
    expect(otherCalls).toBe(4);
    unsubscribeOther();
  });
});
