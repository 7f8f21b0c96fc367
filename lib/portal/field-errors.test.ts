import { describe, expect, it } from "vitest";
import { HooklineError } from "@/lib/sdk/errors";
import {
  atEditedDate,
  inFormWords,
  isRetryableError,
  plainWords,
  sortFieldErrors,
  under,
} from "./field-errors";

describe("field errors in the form's own words", () => {
  it("names the form's fields, not the API's", () => {
    expect(inFormWords("is before start_date", { start_date: "From", end_date: "To" })).toBe(
      "must be later than From",
    );
    expect(inFormWords("must be before end_date", { end_date: "To" })).toBe("must be before To");
    expect(inFormWords("is before start_date", {})).toBe("is before start_date");
  });

  it("quotes a header name instead of gluing a colon to it", () => {
    const err = Object.assign(Object.create(HooklineError.prototype) as HooklineError, {
      details: {
        fields: [
          { field: "headers.Bad Header:", message: "is not a valid header name" },
          { field: "other_thing", message: "is wrong" },
        ],
      },
    });
    const sorted = sortFieldErrors(
      err,
      { headers: under("headers") },
      { other_thing: "Other thing" },
    );
    expect(sorted.fields.headers).toBe("“Bad Header:” is not a valid header name");
    expect(sorted.rest).toEqual(["Other thing: is wrong"]);
  });

  it("reports a reversed range at the end of it the user changed", () => {
    const labels = { start_date: "From", end_date: "To" };
    const fields = { end_date: "must be later than From" };
    expect(atEditedDate(fields, "start_date", labels)).toEqual({
      start_date: "must be earlier than To",
    });
    expect(atEditedDate(fields, "end_date", labels)).toEqual(fields);
    expect(atEditedDate({ end_date: "is not a date" }, "start_date", labels)).toEqual({
      end_date: "is not a date",
    });
  });

  it("tells a refusal worth retrying (429, 5xx, offline) from one that is final", () => {
    const withStatus = (status: number) =>
      Object.assign(Object.create(HooklineError.prototype) as HooklineError, { status });
    expect([0, 429, 500, 503].map((s) => isRetryableError(withStatus(s)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 404].map((s) => isRetryableError(withStatus(s)))).toEqual([
      false,
      false,
      false,
    ]);
    expect(isRetryableError(new Error("x"))).toBe(false);
  });
});

describe("a validator's wording in words for people", () => {
  const errorWith = (fields: { field: string; message: string }[]) =>
    Object.assign(Object.create(HooklineError.prototype) as HooklineError, {
      details: { fields },
    });

  it("turns raw zod text into a predicate", () => {
    expect(plainWords("Invalid input: expected number, received string")).toBe("must be a number");
    expect(plainWords("Invalid input: expected string, received undefined")).toBe("is required");
    expect(plainWords("is required")).toBe("is required");
    expect(plainWords("Too big: expected number to be <=20")).toBe("must be at most 20");
    expect(plainWords("Too small: expected number to be >0")).toBe("must be more than 0");
    expect(plainWords("Too small: expected string to have >=1 characters")).toBe("is required");
    expect(plainWords('Invalid option: expected one of "a"|"b"')).toBe("must be one of a, b");
    expect(plainWords("is before start_date")).toBeNull();
  });

  it("names the field in the form's words", () => {
    const sorted = sortFieldErrors(
      errorWith([
        { field: "max_retries", message: "Invalid input: expected number, received string" },
        { field: "url", message: "is required" },
        { field: "rate_limit", message: "Too small: expected number to be >0" },
      ]),
      { max_retries: under("max_retries"), url: under("url") },
      { max_retries: "Retries", url: "Endpoint URL" },
    );
    expect(sorted.fields).toEqual({
      max_retries: "Retries must be a number.",
      url: "Endpoint URL is required.",
    });
    expect(sorted.rest).toEqual(["Rate limit must be more than 0."]);
  });
});
