import { describe, expect, it } from "vitest";
import { base64ToBytes, payloadText } from "./payload-text";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("payloadText", () => {
  it("shows valid UTF-8 as text, markup included, truncated at the limit", () => {
    expect(payloadText(bytes("<img src=x onerror=alert(1)>"), 100)).toEqual({ kind: "text", text: "<img src=x onerror=alert(1)>", truncated: false });
    expect(payloadText(bytes("{\"t\": 1,\n\t\"ü\": \"°C\"}"), 100).kind).toBe("text");
    expect(payloadText(bytes("abcdef"), 4)).toEqual({ kind: "text", text: "abcd", truncated: true });
  });

  it("shows invalid UTF-8 and control characters as hex, 16 bytes a line", () => {
    expect(payloadText(new Uint8Array([0xff, 0xfe, 0x41]), 100)).toEqual({ kind: "hex", text: "ff fe 41", truncated: false });
    expect(payloadText(bytes("a\u0000b"), 100)).toEqual({ kind: "hex", text: "61 00 62", truncated: false });
    const long = payloadText(new Uint8Array(40).fill(0x80), 60);
    expect(long).toEqual({ kind: "hex", text: `${"80 ".repeat(15)}80\n${"80 ".repeat(3)}80`, truncated: true });
  });

  it("decodes base64 to the exact bytes", () => {
    expect([...base64ToBytes(Buffer.from([0, 255, 60]).toString("base64"))]).toEqual([0, 255, 60]);
  });
});
