import { describe, expect, it } from "vitest";
import { producerPayloadText } from "@/lib/events/payload-text";
import { compactJsonText, stringifyWithJsonText, valueKeepingText } from "@/lib/react/json-text";

describe("JSON text kept as written", () => {
  it("compacts between tokens only, and refuses an object naming a key twice", () => {
    expect(compactJsonText(` { "b" : [ 1 , "x y" , { } ] ,\n "10": "a\\" b" } `)).toBe(
      `{"b":[1,"x y",{}],"10":"a\\" b"}`,
    );
    expect(compactJsonText(`{"a":{"k":1},"b":{"k":2}}`)).toBe(`{"a":{"k":1},"b":{"k":2}}`);
    expect(compactJsonText(`{"a":[{"k":1,"k":2}]}`)).toBeNull();
    expect(compactJsonText(`{"a":1,"b":"a","a":2}`)).toBeNull();
  });

  it("takes a request's payload member as its producer wrote it", () => {
    const body = `{"event_name":"x","payload": {"zeta":1, "10":"ten","2":{"1":null}} }`;
    expect(producerPayloadText(body)).toBe(`{"zeta":1,"10":"ten","2":{"1":null}}`);
    // A nested "payload" is not the event's; the last top-level one is what JSON.parse kept.
    expect(producerPayloadText(`{"x":{"payload":{"a":1}},"payload":{"b":2}}`)).toBe(`{"b":2}`);
    expect(producerPayloadText(`{"payload":{"a":1},"payload":{"c":3}}`)).toBe(`{"c":3}`);
    expect(producerPayloadText(`{"x":[{"s":"}]{[\\"","payload":1}],"payload":{"b":[2]}}`)).toBe(
      `{"b":[2]}`,
    );
    expect(producerPayloadText(`{"payload":{"a":1,"a":2}}`)).toBeUndefined();
    expect(producerPayloadText(`{"event_name":"x"}`)).toBeUndefined();
  });

  it("answers a value kept with its text as that text, and as the value anywhere else", () => {
    const payload = valueKeepingText(`{"zeta":1,"10":"ten"}`);
    expect(payload).toEqual({ zeta: 1, 10: "ten" });
    expect(Object.keys(payload as object)).toEqual(["10", "zeta"]);
    const answer = { id: "dlv_1", payload, list: [payload], note: "json-text:0" };
    expect(stringifyWithJsonText(answer)).toBe(
      `{"id":"dlv_1","payload":{"zeta":1,"10":"ten"},"list":[{"zeta":1,"10":"ten"}],"note":"json-text:0"}`,
    );
    expect(JSON.stringify(answer)).toBe(
      `{"id":"dlv_1","payload":{"10":"ten","zeta":1},"list":[{"10":"ten","zeta":1}],"note":"json-text:0"}`,
    );
    expect(stringifyWithJsonText({ a: 1 })).toBe(`{"a":1}`);
    // A payload with a toJSON key of its own stays a plain parsed value.
    expect(stringifyWithJsonText({ p: valueKeepingText(`{"toJSON":1,"2":0}`) })).toBe(
      `{"p":{"2":0,"toJSON":1}}`,
    );
  });
});
