import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { assertSameOrigin } from "./same-origin";

const post = (headers: Record<string, string>) => new Request("http://console.plant:3000/api/v1/x", { method: "POST", headers });

describe("assertSameOrigin", () => {
  it("accepts the console's own origin", () => {
    expect(() => assertSameOrigin(post({ host: "console.plant:3000", origin: "http://console.plant:3000" }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: "console.plant:3000", origin: "http://console.plant:3000", "sec-fetch-site": "same-origin" }))).not.toThrow();
  });

  it.each([
    ["another origin", { host: "console.plant:3000", origin: "https://evil.example" }],
    ["a look-alike port", { host: "console.plant:3000", origin: "http://console.plant:3001" }],
    ["Origin: null", { host: "console.plant:3000", origin: "null" }],
    ["no Origin", { host: "console.plant:3000" }],
    ["an unparsable Origin", { host: "console.plant:3000", origin: "::::" }],
    ["Sec-Fetch-Site cross-site", { host: "console.plant:3000", origin: "http://console.plant:3000", "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site same-site", { host: "console.plant:3000", origin: "http://console.plant:3000", "sec-fetch-site": "same-site" }],
  ])("refuses %s", (_label, headers) => {
    expect(() => assertSameOrigin(post(headers))).toThrow(AppError);
  });
});
