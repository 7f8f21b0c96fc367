import { deliverWebhook } from "@/inngest/functions/deliver";
import { fanOutEvent } from "@/inngest/functions/fan-out";
import { reconcileDeliveries } from "@/inngest/functions/reconcile";
import { replayFunctions } from "@/inngest/functions/replay-task";

/** Every function served at /api/inngest. */
export const functions = [fanOutEvent, deliverWebhook, reconcileDeliveries, ...replayFunctions];
