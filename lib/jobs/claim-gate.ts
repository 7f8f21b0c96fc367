/**
 * Whether a claim could now find due rows that no announcement will bring. A finished attempt
 * claims again only while the gate is open: at low load nearly every such claim found nothing
 * (fan-out had already leased what it made), and each was planned afresh by the database.
 *
 * The gate opens on anything that may have made rows claimable without an announcement reaching
 * the claim loop: new work announced (even while the loop was too busy to claim), claims handed
 * back, a FIFO line moving on, the loop's own timer (poll, a retry coming due, a rate window), a
 * failed claim. A claim closes it as it starts and reopens it if it may have left rows behind
 * (`claimLeftRows`); whatever opened it during the claim keeps it open.
 */
export interface ClaimGate {
  readonly isOpen: boolean;
  open(): void;
  /** A claim starts; call the result with whether it may have left rows behind when it is over. */
  startClaim(): (leftRows: boolean) => void;
}

/**
 * Whether a claim may have left due rows unclaimed: it filled its limit, or some endpoint had no
 * slots or used all it had (its other rows were passed over, and will be claimable once its
 * attempts finish).
 */
export function claimLeftRows(
  claimed: readonly { endpointId: string }[],
  limit: number,
  endpointSlots: ReadonlyMap<string, number>,
  defaultEndpointSlots: number,
): boolean {
  if (claimed.length >= limit) return true;
  for (const slots of endpointSlots.values()) if (slots <= 0) return true;
  const taken = new Map<string, number>();
  for (const { endpointId } of claimed) taken.set(endpointId, (taken.get(endpointId) ?? 0) + 1);
  for (const [endpointId, n] of taken)
    if (n >= (endpointSlots.get(endpointId) ?? defaultEndpointSlots)) return true;
  return false;
}

export function createClaimGate(): ClaimGate {
  let open = true;
  return {
    get isOpen() {
      return open;
    },
    open() {
      open = true;
    },
    startClaim() {
      open = false;
      return (leftRows) => {
        if (leftRows) open = true;
      };
    },
  };
}
