/**
 * Every frontend API route, found on disk, against a session for app A: app B's resources are
 * 404, lists show nothing of B's, and mutations without the CSRF token are refused. A route
 * added later is covered without touching this file (or fails here until it is).
 */
import { isMethodNotAllowed } from "@/lib/http/route";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApp } from "@/lib/apps/create-app";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { newId } from "@/lib/ids";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies } from "@/lib/sessions/portal-session";
import { createAccessTicket } from "@/lib/sessions/tickets";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const ROOT = path.resolve(import.meta.dirname, "..", "..", "app", "api", "frontend", "webhook");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface RouteFile {
  /** e.g. `/endpoints/[id]/test` */
  pattern: string;
  file: string;
}

function findRoutes(dir = ROOT, prefix = ""): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      out.push(...findRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts")
      out.push({ pattern: prefix || "/", file: path.join(dir, entry.name) });
  }
  return out;
}

/** Which of app B's ids a `[id]` segment stands for, by the segment before it. */
const RESOURCE_OF: Record<string, "endpoint" | "delivery" | "replayTask"> = {
  endpoints: "endpoint",
  deliveries: "delivery",
  "replay-tasks": "replayTask",
};

/** A valid body where `{}` is not one, so the answer is about the resource, not the input. */
const BODY: Record<string, unknown> = {
  "PATCH /endpoints/[id]": { description: "changed" },
};

const routes = findRoutes();
let cookie = "";
let csrf = "";
const b = { endpoint: "", delivery: "", replayTask: "", appId: "" };

beforeAll(async () => {
  const appA = await createApp({ slug: "app_a", name: "A" }, "test");
  const appB = await createApp({ slug: "app_b", name: "B" }, "test");
  await createEndpoint(
    appA,
    { url: "https://a.example.com/hook", subscriptions: ["invoice.paid"] } as never,
    "test",
  );
  const { endpoint } = await createEndpoint(
    appB,
    { url: "https://b.example.com/hook", subscriptions: ["b.secret_event"] } as never,
    "test",
  );
  const event = await db().prisma.event.create({
    data: { id: newId("msg"), appId: appB.id, name: "b.secret_event", payload: { b: true } },
  });
  const delivery = await db().prisma.delivery.create({
    data: {
      id: newId("dlv"),
      appId: appB.id,
      eventId: event.id,
      endpointId: endpoint.id,
      eventName: event.name,
      status: "failed",
    },
  });
  const task = await db().prisma.replayTask.create({
    data: { id: newId("rpl"), appId: appB.id, filter: {}, requestedBy: "test" },
  });
  Object.assign(b, {
    endpoint: endpoint.id,
    delivery: delivery.id,
    replayTask: task.id,
    appId: appB.id,
  });

  const { ticket } = await createAccessTicket(
    { ticket_type: "webhook_app_access", webhook_app_slug: "app_a", expires_in: 120 },
    "test",
  );
  const { session } = await exchangeTicket(ticket);
  const req = new Request("http://hookline.test/");
  cookie = (await sessionCookies(session, req)).map((c) => c.split(";")[0]).join("; ");
  csrf = session.csrf;
});

describe("frontend API isolation", () => {
  it("finds the frontend routes", () => {
    expect(routes.map((r) => r.pattern)).toEqual(
      expect.arrayContaining(["/session", "/endpoints", "/endpoints/[id]"]),
    );
  });

  for (const route of routes) {
    it(`${route.pattern}: app B is invisible and CSRF is enforced`, async () => {
      const mod = (await import(route.file)) as Record<string, unknown>;
      const segments = route.pattern.split("/");
      const idIndex = segments.indexOf("[id]");
      const resource = idIndex > 0 ? RESOURCE_OF[segments[idIndex - 1]!] : undefined;
      if (idIndex > 0)
        expect(resource, `no app-B resource known for ${route.pattern}`).toBeDefined();
      const params: Record<string, string> = resource ? { id: b[resource] } : {};
      const urlPath = `/api/frontend/webhook${route.pattern.replace("[id]", params.id ?? "")}`;
      let methods = 0;
      for (const method of METHODS) {
        const handler = mod[method] as Parameters<typeof callRoute>[0] | undefined;
        if (!handler || isMethodNotAllowed(handler)) continue; // the 405 answers (issue 13)
        methods++;
        const mutation = method !== "GET";
        const body = mutation ? (BODY[`${method} ${route.pattern}`] ?? {}) : undefined;
        if (mutation) {
          const refused = await callRoute(handler, {
            method,
            path: urlPath,
            params,
            headers: { cookie },
            body,
          });
          expect(refused.status, `${method} ${route.pattern} without CSRF`).toBe(403);
        }
        const res = await callRoute(handler, {
          method,
          path: urlPath,
          params,
          headers: { cookie, "x-csrf-token": csrf },
          body,
        });
        if (resource) {
          expect(res.status, `${method} ${route.pattern} with app B's ${resource}`).toBe(404);
        } else {
          expect(
            res.status,
            `${method} ${route.pattern}: ${JSON.stringify(res.body)}`,
          ).toBeLessThan(500);
          const text = JSON.stringify(res.body ?? "");
          for (const secret of [
            b.endpoint,
            b.delivery,
            b.replayTask,
            b.appId,
            "b.secret_event",
            "b.example.com",
          ]) {
            expect(text, `${method} ${route.pattern} leaks ${secret}`).not.toContain(secret);
          }
        }
        const anonymous = await callRoute(handler, { method, path: urlPath, params, body });
        expect(anonymous.status, `${method} ${route.pattern} without a session`).toBe(401);
      }
      expect(methods).toBeGreaterThan(0);
    });
  }
});
