import { expect, test, type Page } from "@playwright/test";
import {
  Backend,
  screenshotThemes,
  startReceiver,
  uniqueSlug,
  type Receiver,
} from "./support/portal";

/**
 * The endpoint page's "Signing" section: an Ed25519 endpoint shows the same `whpk_` public key
 * as the backend and frontend APIs (and copies it), an HMAC endpoint switched to "Both" in the
 * portal gets its key there and then, and during a rotation the previous key is listed.
 */
test.describe.configure({ mode: "serial" });

type EndpointBody = {
  id: string;
  public_key: string | null;
  public_keys: { public_key: string; expires_at: string | null }[];
  effective_signature_scheme: string;
};

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-signing");
  slug = uniqueSlug("signing");
  await backend.createApp(slug, { name: "Acme Signing" });
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await receiver?.close();
  await backend?.dispose();
});

async function openEndpoint(page: Page, id: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${id}/edit?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByTestId("signing-panel")).toBeVisible();
}

test("an ed25519 endpoint shows the API's public key, and copies it", async ({ page, context }) => {
  const created = await backend.call<EndpointBody>(
    "POST",
    `/apps/${slug}/endpoints`,
    { url: receiver.url, events: ["invoice.paid"], signature_scheme: "ed25519" },
    201,
  );
  expect(created.public_key).toMatch(/^whpk_/);
  await openEndpoint(page, created.id);

  const panel = page.getByTestId("signing-panel");
  await expect(panel.getByTestId("effective-scheme")).toHaveText("Ed25519 (v1a)");
  await expect(panel.getByTestId("public-key-value")).toHaveText(created.public_key!);
  // The frontend API the portal reads answers the same key as the backend API.
  const viaFrontend = await page.evaluate(
    async (id) =>
      (await (await fetch(`/api/frontend/webhook/endpoints/${id}`)).json()) as EndpointBody,
    created.id,
  );
  expect(viaFrontend.public_key).toBe(created.public_key);
  expect(JSON.stringify(viaFrontend)).not.toContain("whsk_");

  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await panel.getByRole("button", { name: "Copy public key" }).click();
  await expect(panel.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.public_key);
});

test("switching an HMAC endpoint to Both in the portal creates its key pair; a rotation lists the previous key", async ({
  page,
}, testInfo) => {
  const created = await backend.call<EndpointBody>(
    "POST",
    `/apps/${slug}/endpoints`,
    { url: receiver.url, events: ["invoice.paid"] },
    201,
  );
  expect(created.public_key).toBeNull();
  await openEndpoint(page, created.id);
  const panel = page.getByTestId("signing-panel");
  await expect(panel.getByTestId("effective-scheme")).toHaveText("HMAC-SHA256 (v1)");
  await expect(panel.getByTestId("no-public-key")).toBeVisible();

  await panel.getByLabel("Signature scheme").selectOption("both");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByTestId("effective-scheme")).toHaveText("Both (v1 and v1a)");
  const after = await backend.call<EndpointBody>("GET", `/apps/${slug}/endpoints/${created.id}`);
  expect(after.effective_signature_scheme).toBe("both");
  expect(after.public_key).toMatch(/^whpk_/);
  await expect(panel.getByTestId("public-key-value")).toHaveText(after.public_key!);

  const rotated = await backend.call<{ public_key: string }>(
    "POST",
    `/apps/${slug}/endpoints/${created.id}/rotate-secret`,
    { grace_period_seconds: 3600 },
  );
  expect(rotated.public_key).not.toBe(after.public_key);
  await page.reload();
  await expect(panel.getByTestId("public-key-value")).toHaveText(rotated.public_key);
  await expect(panel.getByTestId("previous-public-keys")).toContainText(after.public_key!);
  await screenshotThemes(page, testInfo, "signing-during-rotation");
});
