/** `/portal/exchange?ticket=...`: same as `/portal` (the shell does the exchange). */
export default function PortalExchange() {
  return null;
}
