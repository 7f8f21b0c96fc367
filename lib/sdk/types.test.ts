/**
 * The SDK types written out by hand (those whose schemas the SDK build cannot follow) must stay
 * identical to what the server validates and answers. These checks are compile-time: a drift
 * fails `tsc --noEmit` and the unit tests (vitest type-checks this file: vitest.config.ts).
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type * as analytics from "@/lib/analytics/schemas";
import type * as deliveries from "@/lib/delivery-log/schemas";
import type * as replays from "@/lib/replays/schemas";
import type * as endpoints from "@/lib/endpoints/schemas";
import type * as filters from "@/lib/filters/payload-filter";
import type * as filterTests from "@/lib/filters/test-filter-schemas";
import type * as sdk from "@/lib/sdk/types";

type Loose<T> = Omit<T, "limit" | "offset">;
/** `A & B` as one object type, for comparing with zod's flat `extend` output. */
type Flat<T> = { [K in keyof T]: T[K] };

describe("SDK types written out by hand", () => {
  it("match the deliveries, replay and analytics schemas", () => {
    expectTypeOf<sdk.WebhookDelivery>().toEqualTypeOf<
      z.output<typeof deliveries.deliverySummary>
    >();
    expectTypeOf<Flat<sdk.WebhookDeliveryDetail>>().toEqualTypeOf<
      z.output<typeof deliveries.deliveryDetail>
    >();
    expectTypeOf<Loose<sdk.ListWebhookDeliveriesOptions>>().toEqualTypeOf<
      Loose<z.input<typeof deliveries.listDeliveriesQuery>>
    >();
    expectTypeOf<sdk.ReplayWebhookDeliveriesRequest>().toEqualTypeOf<
      z.input<typeof replays.replayDeliveriesRequest>
    >();
    expectTypeOf<sdk.ReplayTask>().toEqualTypeOf<z.output<typeof replays.replayTaskResponse>>();
    expectTypeOf<sdk.ReplayDryRun>().toEqualTypeOf<z.output<typeof replays.replayDryRunResponse>>();
    expectTypeOf<sdk.ReplayWebhookDeliveryResponse>().toEqualTypeOf<
      z.output<typeof replays.replayDeliveryResponse>
    >();
    expectTypeOf<Loose<sdk.ListReplayTasksOptions>>().toEqualTypeOf<
      Loose<z.input<typeof replays.listReplayTasksQuery>>
    >();
    expectTypeOf<sdk.WebhookAnalytics>().toEqualTypeOf<
      z.output<typeof analytics.analyticsResponse>
    >();
    expectTypeOf<sdk.WebhookTimeseries>().toEqualTypeOf<
      z.output<typeof analytics.timeseriesResponse>
    >();
    expectTypeOf<sdk.WebhookStats>().toEqualTypeOf<z.output<typeof analytics.statsResponse>>();
    expectTypeOf<Omit<sdk.AnalyticsOptions, "fields">>().toEqualTypeOf<
      Omit<z.input<typeof analytics.analyticsQuery>, "fields">
    >();
    expectTypeOf<sdk.AnalyticsField>().toEqualTypeOf<analytics.AnalyticsField>();
    expectTypeOf<sdk.TimeseriesOptions>().toEqualTypeOf<
      z.input<typeof analytics.timeseriesQuery>
    >();
  });

  it("match the payload filter language and the schemas that carry a filter", () => {
    expectTypeOf<sdk.PayloadFilter>().toEqualTypeOf<filters.PayloadFilter>();
    expectTypeOf<sdk.FilterCondition>().toEqualTypeOf<filters.FilterCondition>();
    expectTypeOf<sdk.WebhookEndpoint>().toEqualTypeOf<
      z.output<typeof endpoints.endpointResponse>
    >();
    expectTypeOf<sdk.CreatedWebhookEndpoint>().toEqualTypeOf<
      z.output<typeof endpoints.createdEndpointResponse>
    >();
    // The schemas take a filter as `unknown` input (the JSON form's schema is recursive); the SDK
    // says what that is: the JSON form or the text form.
    expectTypeOf<sdk.PayloadFilterInput>().toEqualTypeOf<filters.PayloadFilter | string>();
    expectTypeOf<Omit<sdk.CreateWebhookEndpointRequest, "filter">>().toEqualTypeOf<
      Omit<z.input<typeof endpoints.createEndpointRequest>, "filter">
    >();
    expectTypeOf<Omit<sdk.UpdateWebhookEndpointRequest, "filter">>().toEqualTypeOf<
      Omit<z.input<typeof endpoints.updateEndpointRequest>, "filter">
    >();
    expectTypeOf<Omit<sdk.TestWebhookFilterRequest, "filter">>().toEqualTypeOf<
      Omit<z.input<typeof filterTests.testFilterRequest>, "filter">
    >();
    expectTypeOf<sdk.TestWebhookFilterResponse>().toEqualTypeOf<
      z.output<typeof filterTests.testFilterResponse>
    >();
  });
});
