import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Signing copy that matches the endpoint (issue 20, item 9): an Ed25519-only endpoint does not
 * claim that every delivery is signed with its whsec_ secret, and "Rotate" says that it replaces
 * the Ed25519 key pair too (it does: the public key changes).
 */
let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-signing-copy");
  slug = uniqueSlug("signing-copy");
  await backend.createApp(slug, { name: "Acme Keys" });
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

type EndpointBody = { id: string; public_key: string | null };

async function openEndpoint(page: Page, id: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${id}?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByTestId("secret-panel")).toBeVisible({ timeout: FIRST_LOAD });
}

test("an Ed25519-only endpoint's secret panel and rotation say what they sign and rotate", async ({
  page,
}) => {
  const created = await backend.call<EndpointBody>(
    "POST",
    `/apps/${slug}/endpoints`,
    { url: receiver.url, signature_scheme: "ed25519" },
    201,
  );
  await openEndpoint(page, created.id);
  const usage = page.getByTestId("secret-usage");
  await expect(usage).toContainText("signed with its Ed25519 key only");
  await expect(usage).not.toContainText("Every delivery is signed with this secret");

  await page.getByTestId("secret-panel").getByRole("button", { name: "Rotate…" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate the signing secret and key" });
  await expect(dialog.getByTestId("rotate-what")).toContainText("a new Ed25519 key pair");
  await expectNoSeriousViolations(page, "rotate dialog of an Ed25519 endpoint");
  await dialog.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByTestId("rotated-notice")).toBeVisible();
  // What the dialog said happened: the public key is a new one.
  const after = await backend.call<EndpointBody>("GET", `/apps/${slug}/endpoints/${created.id}`);
  expect(after.public_key).toMatch(/^whpk_/);
  expect(after.public_key).not.toBe(created.public_key);
});

test("an HMAC endpoint keeps the plain wording", async ({ page }) => {
  const created = await backend.call<EndpointBody>(
    "POST",
    `/apps/${slug}/endpoints`,
    { url: receiver.url },
    201,
  );
  await openEndpoint(page, created.id);
  await expect(page.getByTestId("secret-usage")).toContainText(
    "Every delivery is signed with this secret (v1 HMAC",
  );
  await page.getByTestId("secret-panel").getByRole("button", { name: "Rotate…" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate the signing secret", exact: true });
  await expect(dialog.getByTestId("rotate-what")).toHaveText("A new whsec_ secret is created now.");
});
