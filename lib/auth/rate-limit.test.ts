import { describe, expect, it } from "vitest";
import { clientIp, loginAttemptKey } from "./rate-limit";

describe("clientIp", () => {
  const ip = (value?: string) => clientIp(new Headers(value === undefined ? {} : { "x-forwarded-for": value }));

  it("takes the first x-forwarded-for entry, the client as the first proxy saw it", () => {
    expect(ip("203.0.113.7, 10.0.0.1")).toBe("203.0.113.7");
    expect(ip(" 2001:db8::1 ")).toBe("2001:db8::1");
  });

  it("falls back to one shared key when the header is missing or not an address", () => {
    expect(ip()).toBe("local");
    expect(ip("")).toBe("local");
    expect(ip("not-an-ip, 203.0.113.7")).toBe("local");
    expect(ip(`${"9".repeat(5000)}`)).toBe("local");
  });
});

describe("loginAttemptKey", () => {
  it("counts an e-mail case-insensitively and keeps e-mails and addresses apart", () => {
    expect(loginAttemptKey.email("Ann@Plant.Example")).toBe("email:ann@plant.example");
    expect(loginAttemptKey.ip("203.0.113.7")).toBe("ip:203.0.113.7");
  });
});
