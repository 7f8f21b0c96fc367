/** Filter operations as app-scoped handlers, served by the backend and the frontend API alike. */
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { testFilter } from "@/lib/filters/test-filter";
import { testFilterRequest } from "@/lib/filters/test-filter-schemas";

export const testFilterHandler: AppScopedHandler = async ({ app, body }) =>
  testFilter(app, await body(testFilterRequest));
