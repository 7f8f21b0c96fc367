import type { HooklineErrorCode } from "./types";

/** Every failed call throws this: the API's error envelope, or `network_error` (status 0). */
export class HooklineError extends Error {
  readonly status: number;
  readonly code: HooklineErrorCode;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: HooklineErrorCode;
    message: string;
    details?: unknown;
    requestId?: string;
  }) {
    super(init.message);
    this.name = "HooklineError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}
