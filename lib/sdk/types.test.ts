/**
 * The SDK types written out by hand (those whose schemas the SDK build cannot follow) must stay
 * identical to what the server validates and answers. These checks are compile-time: a drift
 * fails `tsc --noEmit` (and `npm test`).
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type * as analytics from "@/lib/analytics/schemas";
import type * as deliveries from "@/lib/delivery-log/schemas";
import type * as replays from "@/lib/replays/schemas";
import type * as sdk from "@/lib/sdk/types";

type Loose<T> = Omit<T, "limit" | "offset">;
/** `A & B` as one object type, for comparing with zod's flat `extend` output. */
type Flat<T> = { [K in keyof T]: T[K] };

describe("SDK types written out by hand", () => {
  it("match the deliveries, replay and analytics schemas", () => {
    expectTypeOf<sdk.WebhookDelivery>().toEqualTypeOf<z.output<typeof deliveries.deliverySummary>>();
    expectTypeOf<Flat<sdk.WebhookDeliveryDetail>>().toEqualTypeOf<z.output<typeof deliveries.deliveryDetail>>();
    expectTypeOf<Loose<sdk.ListWebhookDeliveriesOptions>>().toEqualTypeOf<Loose<z.input<typeof deliveries.listDeliveriesQuery>>>();
    expectTypeOf<sdk.ReplayWebhookDeliveriesRequest>().toEqualTypeOf<z.input<typeof replays.replayDeliveriesRequest>>();
    expectTypeOf<sdk.ReplayTask>().toEqualTypeOf<z.output<typeof replays.replayTaskResponse>>();
    expectTypeOf<sdk.ReplayDryRun>().toEqualTypeOf<z.output<typeof replays.replayDryRunResponse>>();
    expectTypeOf<sdk.ReplayWebhookDeliveryResponse>().toEqualTypeOf<z.output<typeof replays.replayDeliveryResponse>>();
    expectTypeOf<Loose<sdk.ListReplayTasksOptions>>().toEqualTypeOf<Loose<z.input<typeof replays.listReplayTasksQuery>>>();
    expectTypeOf<sdk.WebhookAnalytics>().toEqualTypeOf<z.output<typeof analytics.analyticsResponse>>();
    expectTypeOf<sdk.WebhookTimeseries>().toEqualTypeOf<z.output<typeof analytics.timeseriesResponse>>();
    expectTypeOf<sdk.WebhookStats>().toEqualTypeOf<z.output<typeof analytics.statsResponse>>();
    expectTypeOf<Omit<sdk.AnalyticsOptions, "fields">>().toEqualTypeOf<Omit<z.input<typeof analytics.analyticsQuery>, "fields">>();
    expectTypeOf<sdk.AnalyticsField>().toEqualTypeOf<analytics.AnalyticsField>();
    expectTypeOf<sdk.TimeseriesOptions>().toEqualTypeOf<z.input<typeof analytics.timeseriesQuery>>();
  });
});
