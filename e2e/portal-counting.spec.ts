import { expect, test, type Page } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * One counting rule on every surface (issue 14, item 2): a delivery counts once, by its current
 * state; attempts are counted separately. After failures and replays, `failed ≤ total` and
 * `successful + failed + pending = total` hold in the API (analytics, stats, timeseries), in the
 * frontend API the React hooks read, and in the portal's Analytics page.
 */

test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let good: Receiver;
let bad: Receiver;

interface Counts {
  total_deliveries: number;
  successful: number;
  failed: number;
  pending?: number;
  total_attempts?: number;
  failed_attempts?: number;
}

function expectAddsUp(c: Counts, where: string) {
  expect(c.failed, `${where}: failed ≤ total`).toBeLessThanOrEqual(c.total_deliveries);
  expect(c.successful, `${where}: successful ≤ total`).toBeLessThanOrEqual(c.total_deliveries);
  expect(typeof c.pending, `${where}: pending is reported`).toBe("number");
  expect(
    c.successful + c.failed + (c.pending ?? NaN),
    `${where}: successful + failed + pending = total`,
  ).toBe(c.total_deliveries);
}

const DAY = 24 * 3600 * 1000;
const range = () => {
  const end = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
  return { start_date: new Date(end.getTime() - DAY).toISOString(), end_date: end.toISOString() };
};

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-counting");
  slug = uniqueSlug("count");
  await backend.createApp(slug, { name: "Acme Counting" });
  await backend.eventType(slug, { name: "invoice.paid" });
  good = await startReceiver(200);
  bad = await startReceiver(500);
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${good.url}/ok`, max_retries: 0 });
  const down = await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
    url: `${bad.url}/down`,
    max_retries: 0,
  });
  for (let i = 0; i < 3; i++) await backend.trigger(slug, "invoice.paid", { n: i });
  // 3 deliveries to each endpoint; the 3 to `down` fail at once (no retries).
  await expect
    .poll(
      async () =>
        (
          await backend.call<{ data: unknown[] }>(
            "GET",
            `/apps/${slug}/deliveries?status=failed&limit=100`,
          )
        ).data.length,
      { timeout: 20_000 },
    )
    .toBe(3);
  // Replay one failed delivery twice and the whole failed set once: it fails again each time.
  const failed = await backend.call<{ data: { id: string }[] }>(
    "GET",
    `/apps/${slug}/deliveries?status=failed&limit=1`,
  );
  for (let i = 0; i < 2; i++) {
    await backend.call("POST", `/apps/${slug}/deliveries/${failed.data[0]!.id}/replay`, {});
    await expect
      .poll(
        async () =>
          (
            await backend.call<{ status: string }>(
              "GET",
              `/apps/${slug}/deliveries/${failed.data[0]!.id}`,
            )
          ).status,
        { timeout: 20_000 },
      )
      .toBe("failed");
  }
  const r = range();
  const task = await backend.call<{ id: string }>(
    "POST",
    `/apps/${slug}/replays`,
    { ...r, endpoint_id: down.id },
    202,
  );
  await expect
    .poll(
      async () =>
        (await backend.call<{ status: string }>("GET", `/apps/${slug}/replays/${task.id}`)).status,
      { timeout: 30_000 },
    )
    .toBe("completed");
  await expect
    .poll(
      async () =>
        (
          await backend.call<{ data: unknown[] }>(
            "GET",
            `/apps/${slug}/deliveries?status=failed&limit=100`,
          )
        ).data.length,
      { timeout: 20_000 },
    )
    .toBe(3);
});

test.afterAll(async () => {
  await Promise.all([good?.close(), bad?.close(), backend?.dispose()]);
});

test("the API's analytics, stats and timeseries add up after failures and replays", async () => {
  const r = range();
  const q = new URLSearchParams(r).toString();
  const analytics = await backend.call<Counts>("GET", `/apps/${slug}/analytics?${q}`);
  expectAddsUp(analytics, "analytics");
  expect(analytics.total_deliveries).toBe(6);
  expect(analytics.failed).toBe(3);
  expect(analytics.total_attempts).toBeGreaterThan(6);

  const stats = await backend.call<{
    total_deliveries: number;
    by_status: Record<string, number>;
    last_24h: Counts;
  }>("GET", `/apps/${slug}/stats`);
  const byStatus = Object.values(stats.by_status).reduce((a, b) => a + b, 0);
  expect(byStatus, "stats: by_status sums to total").toBe(stats.total_deliveries);
  expect(stats.last_24h.failed).toBe(stats.by_status.failed);
  expect(stats.last_24h.failed).toBeLessThanOrEqual(stats.last_24h.total_deliveries);

  const series = await backend.call<{ timeseries: Counts[] }>(
    "GET",
    `/apps/${slug}/timeseries?interval=hour&${q}`,
  );
  const sum = series.timeseries.reduce<Counts>(
    (acc, p) => ({
      total_deliveries: acc.total_deliveries + p.total_deliveries,
      successful: acc.successful + p.successful,
      failed: acc.failed + p.failed,
      pending: (acc.pending ?? 0) + (p.pending ?? NaN),
    }),
    { total_deliveries: 0, successful: 0, failed: 0, pending: 0 },
  );
  for (const p of series.timeseries) expectAddsUp(p, `timeseries ${JSON.stringify(p)}`);
  expect(sum.total_deliveries).toBe(analytics.total_deliveries);
  expect(sum.failed).toBe(analytics.failed);
});

async function openPortal(page: Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}?ticket=${encodeURIComponent(ticket)}`);
}

test("the frontend API the hooks read and the portal's Analytics page add up too", async ({
  page,
}) => {
  await openPortal(page, "/portal/analytics");
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  const q = new URLSearchParams(range()).toString();
  // The same endpoints useWebhookAnalytics / useWebhookStats call, with the session cookie.
  const fromHooks = await page.evaluate(async (query) => {
    const get = async (p: string) =>
      (await fetch(`/api/frontend/webhook/${p}`, { credentials: "include" })).json();
    return { analytics: await get(`analytics?${query}`), stats: await get("stats") };
  }, q);
  expectAddsUp(fromHooks.analytics as Counts, "frontend analytics");
  expect((fromHooks.analytics as Counts).total_deliveries).toBe(6);
  expect((fromHooks.stats as { last_24h: Counts }).last_24h.failed).toBeLessThanOrEqual(
    (fromHooks.stats as { last_24h: Counts }).last_24h.total_deliveries,
  );

  await expect(page.getByTestId("stat-total")).toContainText("6");
  await expect(page.getByTestId("stat-failed")).toContainText("3");
  await expect(page.getByTestId("stat-successful")).toContainText("3");
});
