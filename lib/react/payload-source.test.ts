import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prettyBody } from "@/lib/portal/format";
import { indentJsonText, membersNamed } from "@/lib/react/json-text";
import { payloadSourceOf, rememberPayloadSources } from "@/lib/react/payload-source";

describe("payloads in their producer's key order", () => {
  it("shows integer-like keys where the text had them, not first as JSON.parse orders them", () => {
    const text = `{"id":"dlv_1","payload":{"zeta":1,"10":"ten","2":{"b":[1,{"9":0,"a":1}],"1":null}},"status":"success"}`;
    const parsed = JSON.parse(text) as { payload: object };
    expect(Object.keys(parsed.payload)).toEqual(["2", "10", "zeta"]);
    rememberPayloadSources(text, parsed);
    expect(payloadSourceOf(parsed.payload)).toBe(
      `{"zeta":1,"10":"ten","2":{"b":[1,{"9":0,"a":1}],"1":null}}`,
    );
    expect(prettyBody(parsed.payload)).toBe(
      [
        "{",
        '  "zeta": 1,',
        '  "10": "ten",',
        '  "2": {',
        '    "b": [',
        "      1,",
        "      {",
        '        "9": 0,',
        '        "a": 1',
        "      }",
        "    ],",
        '    "1": null',
        "  }",
        "}",
      ].join("\n"),
    );
  });

  it("finds payload members at any depth, in lists too, and nothing in strings", () => {
    const text = ` { "data" : [ {"payload": {"a": 1}}, {"note": "\\"payload\\": no", "payload": []} ] } `;
    expect(membersNamed(text, "payload").map((m) => [m.path, text.slice(m.start, m.end)])).toEqual([
      [["data", 0, "payload"], `{"a": 1}`],
      [["data", 1, "payload"], "[]"],
    ]);
  });

  it("leaves values it has no text for as JSON.stringify shows them", () => {
    expect(prettyBody({ b: 1, a: 2 })).toBe(JSON.stringify({ b: 1, a: 2 }, null, 2));
    rememberPayloadSources("not json", { payload: {} });
    expect(prettyBody('{"x":1}')).toBe('{\n  "x": 1\n}');
  });

  it("lays out any JSON text exactly as JSON.stringify(value, null, 2) does when order agrees", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const compact = JSON.stringify(value);
        expect(indentJsonText(compact)).toBe(JSON.stringify(value, null, 2));
        expect(indentJsonText(JSON.stringify(value, null, 3))).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });
});
