/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Issue 23 item 7: concurrent app-wide secret rotations of a 40-endpoint app answer 2xx or 409
 * (never 500), and every endpoint is left with exactly one current secret (and one current
 * Ed25519 key where it had one), each earlier one expiring.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import * as rotateRoute from "@/app/api/v1/apps/[slug]/rotate-secret/route";

const db = useTestDatabase();
const ENDPOINTS = 40;
const ROTATIONS = 50;

describe("concurrent app-wide rotate-secret (item 7)", () => {
  it(`${ROTATIONS} at once on a ${ENDPOINTS}-endpoint app: all 2xx or 409, secrets consistent`, async () => {
    const { key } = await createApiKey({ name: "rotation" }, "test");
    const app = await createApp({ slug: "rotation", name: "Rotation" }, "test");
    for (let i = 0; i < ENDPOINTS; i++)
      await createEndpoint(
        app,
        {
          url: `https://r${i}.example.com/h`,
          // Every fourth endpoint also signs with Ed25519, whose key rotates along.
          ...(i % 4 === 0 && { signature_scheme: "both" as const }),
        } as any,
        "test",
      );

    const answers = await Promise.all(
      Array.from({ length: ROTATIONS }, (_, i) =>
        callRoute(rotateRoute.POST, {
          method: "POST",
          path: `/api/v1/apps/${app.slug}/rotate-secret`,
          apiKey: key,
          params: { slug: app.slug },
          body: i % 5 === 4 ? { expire_previous: true } : { grace_period_seconds: 3600 },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s !== 200 && s !== 409),
      JSON.stringify(answers.filter((a) => a.status !== 200 && a.status !== 409).slice(0, 2)),
    ).toEqual([]);
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const a of ok) expect(a.body).toEqual({ rotated: ENDPOINTS });
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body.error.code).toBe("conflict");
    expect(
      await db().prisma.auditLog.count({
        where: { appId: app.id, action: "app.secrets_rotated" },
      }),
    ).toBe(ok.length);

    const now = new Date();
    const rows = await db().prisma.endpointSecret.findMany({
      where: { endpoint: { appId: app.id } },
    });
    const endpoints = await db().prisma.endpoint.findMany({ where: { appId: app.id } });
    expect(endpoints).toHaveLength(ENDPOINTS);
    for (const endpoint of endpoints) {
      const mine = rows.filter((r) => r.endpointId === endpoint.id);
      const current = (kind: string) =>
        mine.filter((r) => r.kind === kind && r.expiresAt === null).length;
      expect(current("hmac"), endpoint.id).toBe(1);
      expect(current("ed25519"), endpoint.id).toBe(endpoint.signatureScheme === "both" ? 1 : 0);
      // Every earlier secret expires (none was left current, none expired is kept).
      for (const r of mine.filter((x) => x.expiresAt !== null))
        expect(r.expiresAt!.getTime()).toBeGreaterThan(now.getTime() - 5_000);
    }
  }, 120_000);
});
