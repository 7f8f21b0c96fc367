import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Svix as Svix2, ApiException as ApiException2 } from "svix";
import { Svix as Svix1 } from "svix-v1";
import { useTestDatabase } from "../helpers/db";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { checkingFetch } from "../helpers/svix-spec";
import { createApiKey } from "@/lib/auth/api-keys";

process.env.HOOKLINE_LOG_LEVEL = "error";

// The official clients, unchanged but for serverUrl (and a fetch that validates every answer
// against Svix's spec), against the route handlers over real HTTP.
useTestDatabase();
let server: RouteServer;
let key: string;
const checked = checkingFetch();

beforeAll(async () => {
  server = await startRouteServer();
  ({ key } = await createApiKey({ name: "svix" }, "test"));
});
afterAll(() => server?.close());

function clients() {
  return [
    ["2.x", new Svix2(key, { serverUrl: server.url, fetch: checked.fetch })],
    ["1.x", new Svix1(key, { serverUrl: server.url, fetch: checked.fetch })],
  ] as const;
}

describe("Svix applications", () => {
  it("health answers 204 without credentials", async () => {
    const svix = new Svix2("nothing", { serverUrl: server.url, fetch: checked.fetch });
    await expect(svix.health.get()).resolves.toBeFalsy();
    // The open-source server's liveness ping (no client method: raw HTTP, as a load balancer).
    const ping = await fetch(`${server.url}/api/v1/health/ping`);
    expect(ping.status).toBe(204);
    expect(await ping.text()).toBe("");
  });

  it("creates, reads, lists, updates, patches and deletes apps with both clients", async () => {
    for (const [version, svix] of clients()) {
      const uid = `acme-${version}`;
      const app = await svix.application.create({
        name: `Acme ${version}`,
        uid,
        metadata: { plan: "pro" },
      });
      expect(app).toMatchObject({ name: `Acme ${version}`, uid, metadata: { plan: "pro" } });
      expect(app.id).toMatch(/^app_/);
      expect((await svix.application.get(uid)).id).toBe(app.id);
      expect((await svix.application.get(app.id)).uid).toBe(uid);
      const again = await svix.application.getOrCreate({ name: "ignored", uid });
      expect(again.id).toBe(app.id);
      const list = await svix.application.list({ limit: 100 });
      expect(list.data.map((a) => a.id)).toContain(app.id);
      expect(list.done).toBe(true);
      const patched = await svix.application.patch(uid, { metadata: { plan: "team" } });
      expect(patched).toMatchObject({ name: `Acme ${version}`, metadata: { plan: "team" } });
      await svix.application.delete(app.id);
      const err = await svix.application.get(app.id).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 404, body: { code: "not_found" } });
    }
  });

  it("refuses bad input with 422 detail[] and a taken uid with 409", async () => {
    const [, svix] = clients()[0];
    const err = (await svix.application
      .create({ name: "", uid: "no spaces" })
      .catch((e: unknown) => e)) as ApiException2<{ detail: { loc: string[] }[] }>;
    expect(err.code).toBe(422);
    expect(err.body.detail.map((d) => d.loc)).toEqual(
      expect.arrayContaining([
        ["body", "name"],
        ["body", "uid"],
      ]),
    );
    await svix.application.create({ name: "One", uid: "taken" });
    const conflict = await svix.application
      .create({ name: "Two", uid: "taken" })
      .catch((e: unknown) => e);
    expect(conflict).toMatchObject({ code: 409, body: { code: "conflict" } });
  });

  it("pages lists with iterator and prevIterator, in either order", async () => {
    const [, svix] = clients()[0];
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await svix.application.create({ name: `Paged ${i}`, uid: `paged-${i}` })).id);
    const all: string[] = [];
    let page = await svix.application.list({ limit: 2 });
    const firstPage = page;
    for (;;) {
      all.push(...page.data.map((a) => a.id));
      if (page.done) break;
      page = await svix.application.list({ limit: 2, iterator: page.iterator });
    }
    const paged = all.filter((id) => made.includes(id));
    expect(paged).toEqual(made); // ascending: oldest first
    expect(new Set(all).size).toBe(all.length);
    // prevIterator of the second page leads back to the first.
    const second = await svix.application.list({ limit: 2, iterator: firstPage.iterator });
    const back = await svix.application.list({ limit: 2, iterator: second.prevIterator });
    expect(back.data.map((a) => a.id)).toEqual(firstPage.data.map((a) => a.id));
    const newest = await svix.application.list({ limit: 1, order: "descending" as never });
    expect(newest.data[0]!.id).toBe(all[all.length - 1]);
    const foreign = await fetch(`${server.url}/api/v1/app?iterator=bogus`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toMatchObject({ detail: [{ loc: ["query", "iterator"] }] });
  });

  it("every answer matched Svix's spec", () => {
    expect(checked.answers.length).toBeGreaterThan(10);
    expect(checked.answers.filter((a) => a.errors.length)).toEqual([]);
  });
});

describe("the spec check itself", () => {
  it("refuses an answer that does not match the operation's schema", async () => {
    const { svixSchemaErrors } = await import("../helpers/svix-spec");
    expect(svixSchemaErrors("GET", "/api/v1/app/{app_id}", 200, { id: 1 })).not.toEqual([]);
    expect(svixSchemaErrors("GET", "/api/v1/app/{app_id}", 418, {})).not.toEqual([]);
  });
});
