/**
 * The job driver interface: work announced after commit reaches the process's driver at once,
 * and without one, other processes' workers by a NOTIFY that many announcements share; the
 * embedded driver fans out and delivers what is announced; the shared wake signal.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
const heard: { at: number; payload: string }[] = [];

beforeAll(async () => {
  other = new pg.Client(poolConfigFromUrl(db().url));
  await other.connect();
  other.on("notification", (n) => heard.push({ at: Date.now(), payload: n.payload ?? "" }));
  await other.query(`LISTEN ${WORK_CHANNEL}`);
});
afterAll(() => other.end());

describe("announceWork", () => {
  it("without a driver here: other processes hear one NOTIFY per kind per interval", async () => {
    expect(getJobDriver()).toBeUndefined();
    heard.length = 0;
    for (let i = 0; i < 100; i++) await announceWork({ deliveries: [`dlv_${i}`] });
    await announceWork({ events: [{ eventId: "msg_1", appId: "app_1" }] });
    await eventually(async () => (heard.length >= 2 ? true : undefined), 5_000, "notifications");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard.map((h) => h.payload).sort()).toEqual(["deliveries", "events"]);

    await announceWork({ deliveries: ["dlv_x"] });
    await eventually(
      async () => (heard.length > 2 ? true : undefined),
      5_000,
      "a second notification",
    );
    const deliveries = heard.filter((h) => h.payload === "deliveries");
    expect(deliveries).toHaveLength(2);
    expect(deliveries[1]!.at - deliveries[0]!.at).toBeGreaterThanOrEqual(40);
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
      // Let the first claims (made at start) pass, so only the announcement can explain a delivery.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await triggerEvent(app, { event_name: "order.paid", payload: { n: 1 } });
      await eventually(
        async () => (receiver.requests.length === 1 ? true : undefined),
        10_000,
        "the delivery",
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(driver.status().details).toMatchObject({
        fanned_out_events: 1,
        fanned_out_deliveries: 1,
      });
    } finally {
      setJobDriver(undefined);
      await driver.stop();
      await receiver.close();
    }
  });
});

describe("createWakeSignal", () => {
  it("a wake-up while busy makes the next sleep return at once; clear() forgets it; close() ends sleeps", async () => {
    const signal = createWakeSignal();
    signal.wake();
    let t = Date.now();
    await signal.sleep(5_000);
    expect(Date.now() - t).toBeLessThan(100);
    signal.wake();
    signal.clear();
    t = Date.now();
    await signal.sleep(150);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    setTimeout(() => signal.wake(), 50);
    t = Date.now();
    await signal.sleep(5_000);
    expect(Date.now() - t).toBeLessThan(1_000);
    signal.close();
    t = Date.now();
    await signal.sleep(5_000);
    expect(Date.now() - t).toBeLessThan(100);
  });
});
