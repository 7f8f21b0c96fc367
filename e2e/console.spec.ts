import { execFileSync } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import {
  expect as baseExpect,
  test,
  type Browser,
  type BrowserContext,
  type Page,
} from "@playwright/test";
import { E2E_DATA_DIR } from "./support/server";
import { Backend, E2E_BASE_URL, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * The operator console end to end: the first operator from the CLI, sign-in, the live overview,
 * an app and a key made in the console, the portal opened as the customer, a revoked key refused,
 * a viewer refused (in the page and by direct requests), lock-out, sign-out ending the session on
 * the server, the audit trail of all of it, and axe in light, dark and at phone width.
 */
test.describe.configure({ mode: "serial" });
// A shared two-core machine: the first render of each page and the first figures can be slow.
const expect = baseExpect.configure({ timeout: 20_000 });

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const PHONE = { width: 390, height: 844 };
const ROOT = path.resolve(import.meta.dirname, "..");
const run = Date.now().toString(36);
const ADMIN = `admin-${run}@e2e.test`;
const VIEWER = `viewer-${run}@e2e.test`;
const VIEWER_PASSWORD = "viewer passphrase 0123";

function hookline(args: string[], input?: string): string {
  return execFileSync("npm", ["run", "-s", "hookline", "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, HOOKLINE_DATA_DIR: E2E_DATA_DIR },
    input,
    stdio: ["pipe", "pipe", "pipe"],
  })
    .toString()
    .trim();
}

async function signIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/console");
  await expect(page).toHaveURL(/\/console\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  return { context, page };
}

/** A write the way a page makes it (same origin, the CSRF cookie echoed), but sent directly. */
async function consoleWrite(
  context: BrowserContext,
  method: "POST" | "PATCH" | "DELETE",
  urlPath: string,
  data?: unknown,
) {
  const csrf = (await context.cookies()).find((c) => c.name === "hookline_console_csrf")?.value;
  return context.request.fetch(`${E2E_BASE_URL}/api/console${urlPath}`, {
    method,
    headers: { origin: E2E_BASE_URL, "x-csrf-token": csrf ?? "" },
    data,
  });
}

let adminPassword: string;
let admin: { context: BrowserContext; page: Page };
let backend: Backend;
let receiver: Receiver;
let appSlug: string;
let otherSlug: string;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-console");
  receiver = await startReceiver(200);
  otherSlug = uniqueSlug("console-other");
  await backend.createApp(otherSlug);
  await backend.call("POST", `/apps/${otherSlug}/endpoints`, { url: `${receiver.url}/other` });
});

test.afterAll(async () => {
  await admin?.context.close();
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

test("the first operator comes from the CLI; the console is never framed", async ({ request }) => {
  adminPassword = hookline(["operators", "create", "--email", ADMIN, "--role", "admin"]);
  expect(adminPassword).toMatch(/^[\w-]{20,}$/);
  expect(
    hookline(
      ["operators", "create", "--email", VIEWER, "--role", "viewer", "--password-stdin"],
      VIEWER_PASSWORD + "\n",
    ),
  ).toBe("");
  const login = await request.get("/console/login");
  expect(login.headers()["x-frame-options"]).toBe("DENY");
  expect(login.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

test("an admin signs in and sees live figures", async ({ browser }) => {
  admin = await signIn(browser, ADMIN, adminPassword);
  const { page } = admin;
  await expect(page.getByTestId("ov-database")).toContainText("up");
  const before = Number(await page.getByTestId("ov-deliveries").textContent());
  await backend.trigger(otherSlug, "invoice.paid", { n: 1 });
  // The figure changes in place, without reloading the page.
  await expect
    .poll(async () => Number(await page.getByTestId("ov-deliveries").textContent()), {
      timeout: 20_000,
    })
    .toBeGreaterThan(before);
});

test("creates an app, opens the portal as the customer, copies the embed snippet", async () => {
  const { page, context } = admin;
  appSlug = uniqueSlug("console");
  await page.getByRole("link", { name: "Apps" }).click();
  await page.getByRole("button", { name: "Create app" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an app" });
  await dialog.getByLabel("Slug").fill(appSlug);
  await dialog.getByLabel("Name").fill("Console Created");
  await dialog.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByRole("heading", { name: "Console Created", level: 1 })).toBeVisible();
  await expect(page.getByTestId("embed-snippet")).toContainText(appSlug);

  const [portal] = await Promise.all([
    context.waitForEvent("page"),
    page.getByRole("button", { name: "Open portal as this customer" }).click(),
  ]);
  await expect(portal.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  expect(portal.url()).not.toContain("ticket=");
  await portal.close();

  await page.getByRole("link", { name: "Apps" }).click();
  await page.getByLabel("Search apps").fill(appSlug);
  await expect(page.getByRole("list", { name: "Apps" }).getByRole("listitem")).toHaveCount(1);
});

test("finds a delivery across apps by each kind of search", async () => {
  const { page } = admin;
  const idempotencyKey = `idem-${run}`;
  // Sent as the API's clients send it: the key in the Idempotency-Key header.
  const res = await admin.context.request.post(`${E2E_BASE_URL}/api/v1/apps/${otherSlug}/events`, {
    headers: { authorization: `Bearer ${backend.key}`, "idempotency-key": idempotencyKey },
    data: { event_name: "invoice.paid", payload: { customer: { id: `cus_${run}` } } },
  });
  expect(res.status(), await res.text()).toBe(202);
  const sent = (await res.json()) as { event_id: string };
  // The fan-out runs just after the trigger's answer.
  let deliveryId = "";
  await expect
    .poll(async () => {
      const list = await backend.call<{ data: { id: string }[] }>(
        "GET",
        `/apps/${otherSlug}/deliveries?event_id=${sent.event_id}`,
      );
      deliveryId = list.data[0]?.id ?? "";
      return deliveryId;
    })
    .not.toBe("");
  const searches: [string, string][] = [
    ["Event id", sent.event_id],
    ["Delivery id", deliveryId],
    ["Idempotency key", idempotencyKey],
    ["Endpoint URL", "/other"],
    ["Payload condition", `customer.id = "cus_${run}"`],
  ];
  await page.getByRole("link", { name: "Find" }).click();
  for (const [kind, q] of searches) {
    await page.getByLabel("Find by").selectOption({ label: kind });
    await page.getByLabel("Search for").fill(q);
    await page.getByRole("button", { name: "Find", exact: true }).click();
    // The answer to this search, not the previous one's table still on screen.
    await expect(page).toHaveURL((u) => u.searchParams.get("q") === q);
    await expect(page.getByTestId("find-results")).toContainText(deliveryId);
  }
});

test("an app's page shows its endpoints and delivery log in the portal's own components", async () => {
  const { page } = admin;
  const url = `${receiver.url}/other`;
  await page.goto(`/console/apps/${otherSlug}`);
  const tabs = page.getByRole("navigation", { name: "App" });
  await tabs.getByRole("link", { name: "Endpoints" }).click();
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  const row = page.getByTestId("endpoint-list").getByRole("article", { name: url });
  await expect(row).toBeVisible();
  // Operator powers: the portal's own toggle, through the frontend API, as this admin.
  await row.getByRole("button", { name: `Pause ${url}` }).click();
  await expect(row.getByRole("button", { name: `Enable ${url}` })).toBeVisible();
  await row.getByRole("button", { name: `Enable ${url}` }).click();
  await expect(row.getByRole("button", { name: `Pause ${url}` })).toBeVisible();

  await tabs.getByRole("link", { name: "Deliveries" }).click();
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await expect(page.getByTestId("delivery-list").getByTestId("delivery-row").first()).toBeVisible();
  await expect(page.getByTestId("delivery-list")).toContainText(url);
});

test("creates a key (shown once) and revokes it: the next call with it is 401", async ({
  request,
}) => {
  const { page } = admin;
  await page.getByRole("link", { name: "API keys" }).click();
  await page.getByLabel("Name").fill(`console-${run}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^hk_/);
  const auth = { authorization: `Bearer ${key}` };
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(200);
  await page.getByRole("button", { name: `Revoke console-${run}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId(`key-console-${run}`)).toContainText("revoked");
  expect((await request.get("/api/v1/apps", { headers: auth })).status()).toBe(401);
});

test("a viewer sees no write controls and is refused every write by direct requests", async ({
  browser,
}) => {
  const viewer = await signIn(browser, VIEWER, VIEWER_PASSWORD);
  await viewer.page.getByRole("link", { name: "Apps" }).click();
  await expect(viewer.page.getByRole("heading", { name: "Apps", level: 1 })).toBeVisible();
  await expect(viewer.page.getByRole("button", { name: "Create app" })).toHaveCount(0);
  const writes: [Parameters<typeof consoleWrite>[1], string, unknown?][] = [
    ["POST", "/apps", { slug: uniqueSlug("viewer"), name: "Nope" }],
    ["PATCH", `/apps/${appSlug}`, { name: "Nope" }],
    ["DELETE", `/apps/${appSlug}`],
    ["POST", `/apps/${appSlug}/portal`],
    ["POST", "/keys", { name: "nope" }],
    ["POST", "/operators", { email: `x-${run}@e2e.test`, role: "admin" }],
  ];
  for (const [method, urlPath, data] of writes) {
    const res = await consoleWrite(viewer.context, method, urlPath, data);
    expect(res.status(), `${method} ${urlPath}`).toBe(403);
    expect((await res.json()).error.code).toBe("operator_read_only");
  }
  // The app page's portal components, their frontend API calls as this viewer.
  const csrf = (await viewer.context.cookies()).find((c) => c.name === "hookline_console_csrf");
  const asViewer = await viewer.context.request.post(
    `${E2E_BASE_URL}/api/frontend/webhook/endpoints`,
    {
      headers: {
        origin: E2E_BASE_URL,
        "x-csrf-token": csrf?.value ?? "",
        "x-hookline-operator-app": otherSlug,
      },
      data: { url: `${receiver.url}/viewer`, subscriptions: ["*"] },
    },
  );
  expect(asViewer.status()).toBe(403);
  expect((await asViewer.json()).error.code).toBe("operator_read_only");
  await viewer.context.close();
});

test("a write from another origin or without the CSRF token is refused", async () => {
  const res = await admin.context.request.post(`${E2E_BASE_URL}/api/console/keys`, {
    headers: { origin: "https://evil.example" },
    data: { name: "csrf" },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("csrf_failed");
});

test("repeated wrong passwords lock the account", async ({ browser }) => {
  const email = `locked-${run}@e2e.test`;
  const password = hookline(["operators", "create", "--email", email, "--role", "viewer"]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/console/login");
  const form = page.getByRole("form", { name: "Sign in" });
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(form.getByRole("alert")).toContainText("Wrong email or password");
  }
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByRole("alert")).toContainText("locked");
  await context.close();
});

test("axe: every console page, light, dark and phone width", async () => {
  // 40 pages analysed: 5-8 minutes on a busy two-core machine.
  test.setTimeout(900_000);
  const { page } = admin;
  const pages = [
    { path: "/console", heading: "Overview" },
    { path: "/console/apps", heading: "Apps" },
    { path: `/console/apps/${appSlug}`, heading: "Console Created" },
    { path: `/console/apps/${otherSlug}/endpoints`, heading: "Endpoints" },
    { path: `/console/apps/${otherSlug}/deliveries`, heading: "Deliveries" },
    { path: "/console/keys", heading: "API keys" },
    { path: "/console/operators", heading: "Operators" },
    { path: "/console/audit", heading: "Audit log" },
    { path: "/console/settings", heading: "Settings" },
    { path: "/console/find", heading: "Find" },
  ];
  for (const viewport of [{ width: 1280, height: 900 }, PHONE])
    for (const scheme of ["light", "dark"] as const)
      for (const p of pages) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(p.path);
        await expect(page.getByRole("heading", { name: p.heading, level: 1 })).toBeVisible();
        await expect(page.getByTestId("loading")).toHaveCount(0);
        const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
        const serious = results.violations.filter(
          (v) => v.impact === "serious" || v.impact === "critical",
        );
        expect(serious, `${p.path} ${scheme} ${viewport.width}px`).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${p.path} at ${viewport.width}px scrolls sideways`).toBeLessThanOrEqual(
          0,
        );
      }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  // A page of a context of its own (axe refuses pages made by browser.newPage()), signed out.
  const loginContext = await page.context().browser()!.newContext();
  const login = await loginContext.newPage();
  for (const scheme of ["light", "dark"] as const) {
    await login.emulateMedia({ colorScheme: scheme });
    await login.goto("/console/login");
    const results = await new AxeBuilder({ page: login }).withTags(WCAG_TAGS).analyze();
    expect(
      results.violations.filter((v) => v.impact === "serious" || v.impact === "critical"),
    ).toEqual([]);
  }
  await loginContext.close();
});

test("sign-out ends the session on the server; the audit log has every action", async ({
  browser,
  request,
}) => {
  const { page, context } = admin;
  const cookie = (await context.cookies())
    .filter((c) => c.name.startsWith("hookline_console"))
    .map((c) => `${c.name}=${c.value}`)
    .join("; ");
  await page.goto("/console");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/console\/login/);
  // The old cookie, replayed: refused, the session row is gone.
  const replay = await request.get("/api/console/session", { headers: { cookie } });
  expect(replay.status()).toBe(401);

  const again = await signIn(browser, ADMIN, adminPassword);
  await again.page.goto(`/console/audit?actor=${encodeURIComponent(`operator:${ADMIN}`)}`);
  const table = again.page.getByTestId("audit-table");
  for (const action of [
    "operator.signed_in",
    "operator.signed_out",
    "app.created",
    "ticket.issued",
    "api_key.created",
    "api_key.revoked",
    "endpoint.updated",
  ])
    await expect(table.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  await again.page.goto(`/console/audit?action=operator.locked`);
  await expect(again.page.getByTestId("audit-table")).toContainText(`locked-${run}@e2e.test`);
  await again.context.close();
});
