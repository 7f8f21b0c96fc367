/** Message attempts and per-endpoint message status, through lib/svix/attempts.ts. */
import {
  ATTEMPT_LIST_ARRAYS,
  attemptedDestinationsQuery,
  attemptedMessagesQuery,
  attemptsByEndpointQuery,
  attemptsByMsgQuery,
  expungeSvixAttemptContent,
  getSvixAttempt,
  listAttemptedDestinations,
  listAttemptedMessages,
  listAttemptsByEndpoint,
  listAttemptsByMsg,
  resendSvixMessage,
} from "@/lib/svix/attempts";
import { resolveSvixEndpoint } from "@/lib/svix/lookup";
import { svixReply, type SvixRoute } from "@/lib/svix/router";

export const attemptRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: "/app/{app_id}/attempt/endpoint/{endpoint_id}",
    operationId: "v1.message-attempt.list-by-endpoint",
    handler: async (ctx) => {
      const query = ctx.query(attemptsByEndpointQuery, ATTEMPT_LIST_ARRAYS);
      const app = await ctx.app();
      const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
      return listAttemptsByEndpoint(app, endpoint, query);
    },
  },
  {
    method: "GET",
    path: "/app/{app_id}/attempt/msg/{msg_id}",
    operationId: "v1.message-attempt.list-by-msg",
    handler: async (ctx) => {
      const query = ctx.query(attemptsByMsgQuery, ATTEMPT_LIST_ARRAYS);
      const app = await ctx.app();
      const endpoint = query.endpoint_id
        ? await resolveSvixEndpoint(app, query.endpoint_id)
        : undefined;
      return listAttemptsByMsg(app, ctx.params.msg_id!, query, endpoint?.id);
    },
  },
  {
    method: "GET",
    path: "/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}",
    operationId: "v1.message-attempt.get",
    handler: async (ctx) =>
      getSvixAttempt(await ctx.app(), ctx.params.msg_id!, ctx.params.attempt_id!),
  },
  {
    method: "DELETE",
    path: "/app/{app_id}/msg/{msg_id}/attempt/{attempt_id}/content",
    operationId: "v1.message-attempt.expunge-content",
    handler: async (ctx) => {
      await expungeSvixAttemptContent(await ctx.app(), ctx.params.msg_id!, ctx.params.attempt_id!);
      return svixReply(204);
    },
  },
  {
    method: "GET",
    path: "/app/{app_id}/msg/{msg_id}/endpoint",
    operationId: "v1.message-attempt.list-attempted-destinations",
    handler: async (ctx) =>
      listAttemptedDestinations(
        await ctx.app(),
        ctx.params.msg_id!,
        ctx.query(attemptedDestinationsQuery),
      ),
  },
  {
    method: "GET",
    path: "/app/{app_id}/endpoint/{endpoint_id}/msg",
    operationId: "v1.message-attempt.list-attempted-messages",
    handler: async (ctx) => {
      const query = ctx.query(attemptedMessagesQuery, ATTEMPT_LIST_ARRAYS);
      const app = await ctx.app();
      const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
      return listAttemptedMessages(app, endpoint, query);
    },
  },
  {
    method: "POST",
    path: "/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend",
    operationId: "v1.message-attempt.resend",
    handler: async (ctx) => {
      const app = await ctx.app();
      const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
      await resendSvixMessage(app, ctx.params.msg_id!, endpoint);
      return svixReply(202, {});
    },
  },
];
