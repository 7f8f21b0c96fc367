/**
 * `@hookline/sdk`: the typed client of Hookline's backend API.
 *
 *   import { HooklineClient } from "@hookline/sdk";
 *   const hookline = new HooklineClient({ apiKey: process.env.HOOKLINE_API_KEY, baseUrl: "https://hooks.example.com" });
 *   await hookline.webhooks.createWebhookApp({ name: "Billing", slug: "wh_42" });
 */
export {
  HooklineClient,
  type HooklineClientOptions,
  type Query,
  type QueryValue,
  type RequestOptions,
} from "./client";
export { HooklineError } from "./errors";
export { WebhooksApi } from "./webhooks";
export type * from "./types";
