import { expect, test, type Page } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Issue 23 item 10: the portal's pages run under their Content-Security-Policy (scripts by
 * nonce, styles and connections to the portal's own origin) without a single violation: every
 * page of the portal, with data on it (an endpoint with a delivery, a catalog entry, a logo), is
 * visited and the browser's `securitypolicyviolation` events and console errors are collected.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-csp");
  receiver = await startReceiver(200);
  slug = uniqueSlug("csp");
  await backend.createApp(slug, {
    name: "Acme CSP",
    branding: { primary_color: "#4338ca", logo_url: "https://logo.example/acme.svg" },
  });
  await backend.eventType(slug, {
    name: "order.paid",
    description: "An order was paid.",
    example: { order_id: "ord_1" },
  });
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: receiver.url,
    events: ["order.paid"],
  });
  await backend.trigger(slug, "order.paid", { order_id: "ord_1" });
});

test.afterAll(async () => {
  await receiver?.close();
  await backend?.dispose();
});

/** Violations reported in the page (any frame) and CSP errors on the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text()))
      violations.push(m.text());
  });
  return violations;
}

test("every portal page loads and works with no CSP violation", async ({ page }) => {
  const violations = await watchViolations(page);
  const ticket = await backend.ticket(slug);
  const first = page.waitForResponse((r) => r.url().includes("/portal?ticket="));
  await page.goto(`/portal?ticket=${encodeURIComponent(ticket)}`);
  const csp = (await first).headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toMatch(/connect-src 'self'/);

  // The page hydrated (scripts ran) and called the frontend API (connect-src).
  // Generous: the exchange and first render are slow on a loaded machine.
  await expect(page).toHaveURL(/\/portal\/endpoints$/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  await expect(page.getByTestId("portal-app-name")).toContainText("Acme CSP");
  await expect(page.getByText(receiver.url).first()).toBeVisible();

  for (const [path, heading] of [
    ["/portal/deliveries", "Deliveries"],
    ["/portal/catalog", "Event catalog"],
    ["/portal/analytics", "Analytics"],
    ["/portal/endpoints", "Endpoints"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation too (scripts loaded after hydration).
  await page
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Deliveries" })
    .click();
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");

  // The access page (no session) too.
  await page.context().clearCookies();
  await page.goto("/portal");
  await expect(page.getByRole("heading", { name: "Access needed" })).toBeVisible();

  expect(violations).toEqual([]);
});
