import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Backend, uniqueSlug } from "./support/portal";

/**
 * The delivery drawer stays live while its delivery is in flight: opened while the receiver is
 * still answering, it shows the attempt and the final status as soon as they are recorded,
 * without a reload. (While retrying it looks again just after the next attempt is due: see
 * lib/react/refetch.test.ts; the e2e server's retry schedule is minutes long.)
 */
let backend: Backend;
let slug: string;
let slow: { url: string; release(): void; close(): Promise<void> };

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-drawer-live");
  slug = uniqueSlug("live");
  await backend.createApp(slug, { name: "Acme Live" });
  await backend.eventType(slug, { name: "invoice.paid" });
  // A receiver that answers 200 only once the test lets it (the drawer is open by then).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((req, res) => {
    req.resume();
    void released.then(() =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  slow = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});

test.afterAll(async () => {
  slow?.release();
  await Promise.all([slow?.close(), backend?.dispose()]);
});

test("the drawer of a delivery in flight updates itself when the attempt is recorded", async ({
  page,
}) => {
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${slow.url}/slow`,
    // The longest allowed: the held request must still be open when the drawer is looked at,
    // however slowly a loaded machine gets there (at 10 s it once timed out first).
    timeout_seconds: 60,
  });
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();

  await backend.trigger(slug, "invoice.paid", { invoice_id: "inv_live" });
  await page.getByRole("button", { name: "Refresh" }).click();
  const row = page.getByTestId("delivery-row").first();
  await expect(row).toHaveAttribute("data-status", /pending|retrying/);
  await row.getByRole("button").click();
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId("attempt")).toHaveCount(0);
  slow.release();

  // No reload, no click: the attempt and the outcome arrive by themselves (the drawer polls).
  await expect(drawer.getByTestId("attempt")).toHaveCount(1);
  await expect(drawer.getByText("Delivered").first()).toBeVisible();
});
