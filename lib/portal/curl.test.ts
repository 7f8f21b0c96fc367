import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { attemptBody, curlCommand, shellQuote } from "@/lib/portal/curl";

describe("curlCommand", () => {
  it("quotes anything so a shell reads it back unchanged", () => {
    const tricky = `it's "fine" $HOME \`x\` \\ \n done`;
    const echoed = execFileSync("sh", ["-c", `printf %s ${shellQuote(tricky)}`]).toString();
    expect(echoed).toBe(tricky);
  });

  it("sends the envelope in the hookline format and the payload alone in the svix format", () => {
    const base = {
      eventName: "invoice.paid",
      eventCreatedAt: "2026-01-02T03:04:05.000Z",
      payload: { b: 1, a: "x" },
    };
    expect(attemptBody({ ...base, headers: { "webhook-id": "dlv_1" } })).toBe(
      '{"type":"invoice.paid","timestamp":"2026-01-02T03:04:05.000Z","data":{"b":1,"a":"x"}}',
    );
    expect(attemptBody({ ...base, headers: { "svix-id": "msg_1" } })).toBe('{"b":1,"a":"x"}');
    const cmd = curlCommand({
      ...base,
      url: "http://127.0.0.1:9/hook?x=1&y=2",
      headers: { "content-type": "application/json", "webhook-id": "dlv_1" },
    });
    expect(cmd.split(" \\\n")).toEqual([
      "curl -X POST 'http://127.0.0.1:9/hook?x=1&y=2'",
      "  -H 'content-type: application/json'",
      "  -H 'webhook-id: dlv_1'",
      `  --data-raw '${attemptBody({ ...base, headers: {} })}'`,
    ]);
  });
});
