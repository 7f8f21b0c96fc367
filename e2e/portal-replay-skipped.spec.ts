import { expect, test } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * A bulk replay that cannot replay some deliveries says which and why: in the API
 * (`skipped[]` on the task), in the frontend API the hooks read, and on the portal's Replay page.
 */
let backend: Backend;
let slug: string;
let bad: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-replay-skipped");
  slug = uniqueSlug("skip");
  await backend.createApp(slug, { name: "Acme Skips" });
  await backend.eventType(slug, { name: "invoice.paid" });
  bad = await startReceiver(500);
});

test.afterAll(async () => {
  await Promise.all([bad?.close(), backend?.dispose()]);
});

interface Task {
  id: string;
  status: string;
  failed: number;
  replayed: number;
  skipped: { delivery_id: string; reason: string; message: string }[];
}

test("a bulk replay lists the deliveries it skipped and why, in the API, the hooks' API and the portal", async ({
  page,
}) => {
  const down = await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
    url: `${bad.url}/down`,
    max_retries: 0,
  });
  await backend.trigger(slug, "invoice.paid", { n: 1 });
  await backend.trigger(slug, "invoice.paid", { n: 2 });
  await expect
    .poll(
      async () =>
        (
          await backend.call<{ data: unknown[] }>(
            "GET",
            `/apps/${slug}/deliveries?status=failed&limit=10`,
          )
        ).data.length,
      { timeout: 20_000 },
    )
    .toBe(2);
  const failedIds = (
    await backend.call<{ data: { id: string }[] }>(
      "GET",
      `/apps/${slug}/deliveries?status=failed&limit=10`,
    )
  ).data
    .map((d) => d.id)
    .sort();

  // Paused endpoint: nothing can be replayed.
  await backend.call("PATCH", `/apps/${slug}/endpoints/${down.id}`, { is_active: false });
  const end = new Date(Date.now() + 60_000).toISOString();
  const start = new Date(Date.now() - 3600_000).toISOString();
  const created = await backend.call<Task>(
    "POST",
    `/apps/${slug}/replays`,
    { start_date: start, end_date: end },
    202,
  );
  await expect
    .poll(
      async () => (await backend.call<Task>("GET", `/apps/${slug}/replays/${created.id}`)).status,
      { timeout: 30_000 },
    )
    .toBe("completed");

  const task = await backend.call<Task>("GET", `/apps/${slug}/replays/${created.id}`);
  expect(task.failed).toBe(2);
  expect(task.replayed).toBe(0);
  expect(task.skipped.map((s) => s.delivery_id).sort()).toEqual(failedIds);
  expect(new Set(task.skipped.map((s) => s.reason))).toEqual(new Set(["endpoint_inactive"]));
  expect(task.skipped[0]!.message).toMatch(/enable the endpoint/);

  // The frontend API (what useWebhookReplayTasks reads) and the portal.
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/replay?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByRole("heading", { name: "Replay", level: 1 })).toBeVisible();
  const fromHooks = await page.evaluate(
    async () =>
      (await (await fetch("/api/frontend/webhook/replay-tasks?limit=5")).json()) as {
        data: Task[];
      },
  );
  expect(fromHooks.data[0]!.skipped.map((s) => s.delivery_id).sort()).toEqual(failedIds);

  const card = page.getByTestId("replay-task").first();
  await expect(card).toContainText("2 could not be replayed");
  const details = card.getByTestId("task-skipped");
  await details.getByText(/not replayed, and why/).click();
  await expect(details.locator('[data-reason="endpoint_inactive"]')).toContainText(
    "2 × Its endpoint is paused",
  );
  for (const id of failedIds) await expect(details.getByRole("link", { name: id })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("replay-skipped.png"), fullPage: true });
});
