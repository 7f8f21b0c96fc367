/**
 * `/portal?ticket=...`: the shell exchanges the ticket, drops it from the URL and lands on
 * Endpoints; without a usable ticket or session it shows the access page.
 */
export default function PortalEntry() {
  return null;
}
