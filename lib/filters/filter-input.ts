/**
 * A filter as the API takes it: the JSON form, or the text form (a string), which is parsed to
 * the JSON form; syntax errors name the place in the text. Responses always carry the JSON form.
 */
import { z } from "zod";
import { FilterSyntaxError, parseFilterText } from "@/lib/filters/filter-text";
import { payloadFilter, type PayloadFilter } from "@/lib/filters/payload-filter";

export const filterText = z
  .string()
  .transform((text, ctx): PayloadFilter => {
    let parsed: PayloadFilter;
    try {
      parsed = parseFilterText(text);
    } catch (err) {
      if (!(err instanceof FilterSyntaxError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
      return z.NEVER;
    }
    // The parser enforces the language's rules itself; this keeps a filter the JSON form would
    // refuse from ever passing as text (a 422 naming the part, never a database error).
    const checked = payloadFilter.safeParse(parsed);
    if (checked.success) return checked.data;
    for (const issue of checked.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
    return z.NEVER;
  })
  .describe('The text form, e.g. `customer.id = "cus_123" and amount > 0` (see docs/filters.md).');

export const filterInput = z.union([filterText, payloadFilter], {
  message: "must be a filter: its text form (a string) or its JSON form (an object)",
});
