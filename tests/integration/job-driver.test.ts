/**
 * The job driver interface: work announced after commit reaches the process's driver at once,
 * and without one, other processes' workers by a NOTIFY that many announcements share; the
 * embedded driver fans out and delivers what is announced; the shared wake signal.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { poolConfigFromUrl } from "@/lib/db/url";
import { triggerEvent } from "@/lib/events/trigger-event";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";
import {
  announceWork,
  getJobDriver,
  getJobDriverStatus,
  setJobDriver,
  WORK_CHANNEL,
  type AnnouncedWork,
  type JobDriver,
} from "@/lib/jobs/job-driver";
import { createWakeSignal } from "@/lib/jobs/wake-signal";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
let other: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  other = new pg.Client(poolConfigFromUrl(db().url));
  await other.connect();
  other.on("notification", (n) => heard.push(n.payload ?? ""));
  await other.query(`LISTEN ${WORK_CHANNEL}`);
});
afterAll(() => other.end());

describe("announceWork", () => {
  it("without a driver here: other processes hear one NOTIFY per kind per interval", async () => {
    expect(getJobDriver()).toBeUndefined();
    heard.length = 0;
    // The interval runs on a fake clock; the NOTIFYs themselves go through the real database, on
    // connections opened beforehand (the pool's own timers run on the fake clock too: a second
    // of it stays clear of its connect and idle timeouts).
    await Promise.all([1, 2, 3].map(() => db().pool.query("SELECT 1")));
    const query = vi.spyOn(db().pool, "query");
    const notified = () =>
      query.mock.calls
        .filter(([text]) => String(text).includes("pg_notify"))
        .map(([, params]) => (params as string[])[1]);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      for (let i = 0; i < 100; i++) await announceWork({ deliveries: [`dlv_${i}`] });
      await announceWork({ events: [{ eventId: "msg_1", appId: "app_1" }] });
      // Everything the announcements set in motion, and a quiet time of 20 intervals after it.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(notified().sort()).toEqual(["deliveries", "events"]);

      // Two announcements in a row: the first goes out at once, the second 50 ms after it.
      await announceWork({ deliveries: ["dlv_x"] });
      await vi.advanceTimersByTimeAsync(0);
      await announceWork({ deliveries: ["dlv_y"] });
      await vi.advanceTimersByTimeAsync(49);
      expect(notified().filter((k) => k === "deliveries")).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(notified().filter((k) => k === "deliveries")).toHaveLength(3);
    } finally {
      vi.useRealTimers();
      query.mockRestore();
    }
    // Another process hears each of them.
    await eventually(async () => (heard.length >= 4 ? true : undefined), 5_000, "notifications");
    expect(heard.sort()).toEqual(["deliveries", "deliveries", "deliveries", "events"]);
  });

  it("with a driver installed, every announcement goes to it, and health reports it", async () => {
    const got: AnnouncedWork[] = [];
    const driver: JobDriver = {
      kind: "embedded",
      announce: async (work) => void got.push(work),
      status: () => ({ driver: "embedded", status: "running", details: { probe: true } }),
      stop: () => Promise.resolve(),
    };
    setJobDriver(driver);
    try {
      await announceWork({ replayTask: { id: "rpl_1", appId: "app_1" } });
      expect(got).toEqual([{ replayTask: { id: "rpl_1", appId: "app_1" } }]);
      expect(getJobDriverStatus()).toMatchObject({ status: "running", details: { probe: true } });
    } finally {
      setJobDriver(undefined);
    }
    expect(getJobDriverStatus().status).toBe("not_started");
  });

  it("the embedded driver fans out and delivers an announced event well before its poll", async () => {
    const receiver = await startReceiver();
    const driver = startEmbeddedDriver({ pollIntervalMs: 60_000, replays: false });
    setJobDriver(driver);
    try {
      const app = await createTestApp();
      await createTestEndpoint(app, { url: receiver.url });
      // A first event, delivered however the driver finds it, shows its start-up passes are done:
      // the loops now sleep for their 60 s poll, and only the announcement can explain a delivery
      // within the 10 s the second one is given.
      await triggerEvent(app, { event_name: "order.paid", payload: { n: 0 } });
      await receiver.waitFor(1, 10_000);
      await triggerEvent(app, { event_name: "order.paid", payload: { n: 1 } });
      await receiver.waitFor(2, 10_000);
      expect(driver.status().details).toMatchObject({
        fanned_out_events: 2,
        fanned_out_deliveries: 2,
      });
    } finally {
      setJobDriver(undefined);
      await driver.stop();
      await receiver.close();
    }
  });
});

describe("the embedded driver's fan-out", () => {
  it("leases what it can start: a plain endpoint's delivery goes without a claim; FIFO and rate-limited ones through the claim", async () => {
    const receiver = await startReceiver();
    const driver = startEmbeddedDriver({ pollIntervalMs: 60_000, replays: false });
    setJobDriver(driver);
    try {
      const app = await createTestApp();
      await createTestEndpoint(app, { url: `${receiver.url}/plain` });
      await createTestEndpoint(app, { url: `${receiver.url}/limited`, rateLimit: 10 });
      const fifo = await createTestEndpoint(app, { url: `${receiver.url}/fifo` });
      await db().prisma.endpoint.update({
        where: { id: fifo.endpoint.id },
        data: { ordering: "fifo" },
      });
      await triggerEvent(app, { event_name: "order.paid", payload: { n: 1 } });
      await receiver.waitFor(3, 20_000);
      expect(receiver.requests.map((r) => r.path).sort()).toEqual([
        "/hook/fifo",
        "/hook/limited",
        "/hook/plain",
      ]);
      expect(driver.status().details).toMatchObject({ claimed: 3, leased_at_fan_out: 1 });
    } finally {
      setJobDriver(undefined);
      await driver.stop();
      await receiver.close();
    }
  });
});

/** Whether `promise` has settled once the microtasks queued so far have run. */
async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("createWakeSignal", () => {
  it("a wake-up while busy makes the next sleep return at once; clear() forgets it; close() ends sleeps", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const signal = createWakeSignal();
      signal.wake();
      expect(await settledNow(signal.sleep(5_000))).toBe(true);

      signal.wake();
      signal.clear();
      const timed = signal.sleep(150);
      await vi.advanceTimersByTimeAsync(149);
      expect(await settledNow(timed)).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await settledNow(timed)).toBe(true);

      const woken = signal.sleep(5_000);
      await vi.advanceTimersByTimeAsync(50);
      expect(await settledNow(woken)).toBe(false);
      signal.wake();
      expect(await settledNow(woken)).toBe(true);

      const closed = signal.sleep(5_000);
      signal.close();
      expect(await settledNow(closed)).toBe(true);
      expect(await settledNow(signal.sleep(5_000))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
