/**
 * The hooks' types are the SDK's (kept equal to the server's schemas by lib/sdk/types.test.ts),
 * except the portal session's, written out in lib/react/types.ts: this fails type-checking
 * (`npm run typecheck`, and the unit tests: vitest.config.ts) if it drifts from lib/sessions/schemas.ts.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { PortalSessionResponse } from "@/lib/sessions/schemas";
import type { DeliveryDetail as ServerDeliveryDetail } from "@/lib/delivery-log/schemas";
import type { ReplayTaskResponse } from "@/lib/replays/schemas";
import type { TimeseriesPoint as ServerTimeseriesPoint } from "@/lib/analytics/schemas";
import type { DeliveryDetail, PortalSession, ReplayTask, TimeseriesPoint } from "@/lib/react/types";

describe("lib/react types", () => {
  it("match the server's response schemas", () => {
    expectTypeOf<PortalSession>().toEqualTypeOf<PortalSessionResponse>();
    // What the server answers fits what the hooks promise.
    expectTypeOf<ServerDeliveryDetail>().toExtend<DeliveryDetail>();
    expectTypeOf<ReplayTaskResponse>().toExtend<ReplayTask>();
    expectTypeOf<ServerTimeseriesPoint>().toExtend<TimeseriesPoint>();
  });
});
