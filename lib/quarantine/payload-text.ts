/**
 * How the quarantine viewer shows a payload: as text when the bytes are valid UTF-8 without
 * control characters other than tab and line breaks, otherwise as hex. Pure, for the browser; the
 * result is rendered as a text node, never as HTML.
 */
export type TPayloadText = { kind: "text" | "hex"; text: string; truncated: boolean };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const unprintable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function payloadText(bytes: Uint8Array, maxChars: number): TPayloadText {
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !unprintable.test(text)) {
    return { kind: "text", text: text.slice(0, maxChars), truncated: text.length > maxChars };
  }
  // Two hex digits and a space per byte, 16 bytes a line.
  const shown = bytes.subarray(0, Math.floor(maxChars / 3));
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    lines.push([...shown.subarray(offset, offset + 16)].map((byte) => byte.toString(16).padStart(2, "0")).join(" "));
  }
  return { kind: "hex", text: lines.join("\n"), truncated: shown.length < bytes.length };
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
