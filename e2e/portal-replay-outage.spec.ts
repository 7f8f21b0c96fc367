import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Replay during an outage (issue 20, item 8): deliveries still retrying can be bulk-replayed
 * ("Failed or still retrying"); right after a replay starts the form does not offer the same
 * replay again; a replay that matched nothing says so, not "0 of 0 (100 %)".
 */
let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-replay-outage");
  slug = uniqueSlug("outage");
  await backend.createApp(slug, { name: "Acme Outage" });
  await backend.eventType(slug, { name: "invoice.paid" });
  receiver = await startReceiver(500);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

test("replays the retrying deliveries once, and an empty replay says it matched nothing", async ({
  page,
}) => {
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/down`,
    max_retries: 5,
  });
  for (let n = 0; n < 3; n++) await backend.trigger(slug, "invoice.paid", { n });
  await expect
    .poll(() => backend.countDeliveries(slug, "status=retrying"), { timeout: 20_000 })
    .toBe(3);

  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/replay?ticket=${encodeURIComponent(ticket)}`);
  const form = page.getByTestId("replay-form");
  const preview = form.getByTestId("replay-preview");
  await expect(form.getByRole("radio", { name: "Failed only" })).toBeChecked({
    timeout: FIRST_LOAD,
  });
  await expect(preview).toHaveText("No deliveries match. Widen the date range or filters.");

  await form.getByRole("radio", { name: "Failed or still retrying" }).check();
  await expect(preview).toHaveText("This would replay 3 deliveries.");
  receiver.status = 200;
  const submit = form.getByRole("button", { name: "Replay 3 deliveries" });
  await submit.click();

  // Started: the same replay is not offered again.
  await expect(preview).toContainText("Replay started for 3 deliveries");
  const started = form.getByRole("button", { name: "Replay started" });
  await expect(started).toBeDisabled();
  await expectNoSeriousViolations(page, "replay just started");
  const task = page.getByTestId("replay-task").first();
  await expect(task).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
  await expect(task).toContainText("failed or retrying");
  await expect(task.getByTestId("task-progress")).toContainText("3 of 3 processed");
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(6);
  // Once it finished, the form counts again: nothing left to replay (no second offer of the 3).
  await expect(preview).toHaveText("No deliveries match. Widen the date range or filters.");
  await expect(form.getByRole("button", { name: /^Replay/ })).toBeDisabled();
  expect(await backend.countDeliveries(slug, "status=success")).toBe(3);

  // A replay (through the API) whose range holds nothing.
  const empty = await backend.call<{ id: string }>(
    "POST",
    `/apps/${slug}/replays`,
    { start_date: "2026-01-01T00:00:00Z", end_date: "2026-01-02T00:00:00Z" },
    202,
  );
  await page.goto("/portal/replay");
  const emptyTask = page.locator(`[aria-label="Replay task ${empty.id}"]`);
  await expect(emptyTask).toHaveAttribute("data-status", "completed", { timeout: FIRST_LOAD });
  await expect(emptyTask.getByTestId("task-status")).toHaveText("Nothing matched");
  await expect(emptyTask.getByTestId("task-progress")).toHaveText(
    "No deliveries matched this replay, so nothing was sent.",
  );
  await expect(emptyTask).not.toContainText("0 of 0");
  await expect(emptyTask.getByRole("progressbar")).toHaveCount(0);
  await expectNoSeriousViolations(page, "replay with an empty task");
});
