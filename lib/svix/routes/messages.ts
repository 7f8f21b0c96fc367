/** Messages (`/app/{app_id}/msg`): Hookline events, through lib/svix/messages.ts. */
import { producerPayloadText } from "@/lib/events/payload-text";
import {
  createSvixMessage,
  expungeSvixMessageContent,
  getSvixMessage,
  listSvixMessages,
  MESSAGE_LIST_ARRAYS,
  svixMessageIn,
  svixMessageListQuery,
  withContentQuery,
} from "@/lib/svix/messages";
import { checkIdempotencyKey } from "@/lib/svix/idempotency";
import { svixReply, type SvixRoute } from "@/lib/svix/router";

export const messageRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: "/app/{app_id}/msg",
    operationId: "v1.message.list",
    handler: async (ctx) =>
      listSvixMessages(await ctx.app(), ctx.query(svixMessageListQuery, MESSAGE_LIST_ARRAYS)),
  },
  {
    method: "POST",
    path: "/app/{app_id}/msg",
    operationId: "v1.message.create",
    idempotency: "handler",
    handler: async (ctx) => {
      const key = ctx.req.headers.get("idempotency-key");
      if (key !== null) checkIdempotencyKey(key);
      const { with_content: withContent } = ctx.query(withContentQuery);
      const body = await ctx.body(svixMessageIn);
      const app = await ctx.app();
      const payloadText = producerPayloadText(ctx.bodyText());
      return svixReply(
        202,
        await createSvixMessage(app, body, withContent ?? true, key, payloadText),
      );
    },
  },
  {
    method: "GET",
    path: "/app/{app_id}/msg/{msg_id}",
    operationId: "v1.message.get",
    handler: async (ctx) => {
      const { with_content: withContent } = ctx.query(withContentQuery);
      return getSvixMessage(await ctx.app(), ctx.params.msg_id!, withContent ?? true);
    },
  },
  {
    method: "DELETE",
    path: "/app/{app_id}/msg/{msg_id}/content",
    operationId: "v1.message.expunge-content",
    handler: async (ctx) => {
      await expungeSvixMessageContent(await ctx.app(), ctx.params.msg_id!);
      return svixReply(204);
    },
  },
];
