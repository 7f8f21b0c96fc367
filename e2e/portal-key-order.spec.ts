import { expect, test } from "@playwright/test";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Payloads, examples and schemas in the order sent (issue 20, item 12): the database's jsonb
 * stores keys shorter-first, and the portal used to show them that way. The delivery drawer, the
 * copied payload and the catalog show the producer's order; the receiver got the same.
 */
let backend: Backend;
let slug: string;
let receiver: Receiver;

// Object literals keep their (non-integer) key order through JSON.stringify: the request sends it.
const payload = { zeta: 1, a: { y: 2, b: 3 }, mid: [{ k2: 1, k1: 2 }] };
const example = { zeta: "z", a: "a", mid: ["m"] };

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-key-order");
  slug = uniqueSlug("order");
  await backend.createApp(slug, { name: "Acme Order" });
  await backend.eventType(slug, { name: "order.placed", example });
  receiver = await startReceiver(200);
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${receiver.url}/hook` });
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

test("the delivery drawer and the catalog show keys in the order sent", async ({
  page,
  context,
}) => {
  await backend.trigger(slug, "order.placed", payload);
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(1);
  expect(receiver.requests[0]!.body).toContain(`"data":${JSON.stringify(payload)}`);

  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(1, { timeout: FIRST_LOAD });
  await rows.first().getByRole("button").click();
  const drawer = page.getByTestId("delivery-drawer");
  const shown = drawer
    .getByRole("region", { name: "Payload" })
    .getByLabel("Payload", { exact: true });
  await expect(shown).toHaveText(JSON.stringify(payload, null, 2), { timeout: FIRST_LOAD });
  // The copy is the same text, not re-sorted.
  await drawer.getByRole("button", { name: "Copy payload" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe(JSON.stringify(payload, null, 2));

  await page.goto("/portal/catalog");
  await expect(page.getByLabel("order.placed example payload")).toHaveText(
    JSON.stringify(example, null, 2),
    { timeout: FIRST_LOAD },
  );
});

test("integer-like keys keep their place too (JSON.parse would put them first)", async ({
  page,
}) => {
  // Sent as text: a JavaScript object cannot even hold these keys in this order.
  const text = `{"zeta":1,"10":"ten","2":{"b":true,"1":null}}`;
  const before = receiver.requests.length;
  await backend.call(
    "POST",
    `/apps/${slug}/events`,
    `{"event_name":"order.placed","payload":${text}}`,
    202,
  );
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(before + 1);
  expect(receiver.requests[before]!.body).toContain(`"data":${text}`);

  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(before + 1, { timeout: FIRST_LOAD });
  // The newest first.
  await rows.first().getByRole("button").click();
  const shown = page
    .getByTestId("delivery-drawer")
    .getByRole("region", { name: "Payload" })
    .getByLabel("Payload", { exact: true });
  await expect(shown).toHaveText(
    [
      "{",
      '  "zeta": 1,',
      '  "10": "ten",',
      '  "2": {',
      '    "b": true,',
      '    "1": null',
      "  }",
      "}",
    ].join("\n"),
    { timeout: FIRST_LOAD },
  );
});
