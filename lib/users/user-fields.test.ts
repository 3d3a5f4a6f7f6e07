import { describe, expect, it } from "vitest";
import { ZCreateUser } from "./create-user";
import { ZUpdateUser } from "./update-user";

const valid = { email: "Ann@Plant.Example", password: "twelve-chars", role: "supervisor" };

describe("ZCreateUser", () => {
  it("lower-cases the e-mail and accepts the role in any case", () => {
    expect(ZCreateUser.parse(valid)).toEqual({ email: "ann@plant.example", password: "twelve-chars", role: "SUPERVISOR" });
    expect(ZCreateUser.parse({ ...valid, role: "ADMIN" }).role).toBe("ADMIN");
    expect(ZCreateUser.parse({ ...valid, role: "Manager" }).role).toBe("MANAGER");
  });

  it("refuses short or huge passwords, unknown roles, unknown fields and control characters in names", () => {
    expect(ZCreateUser.safeParse({ ...valid, password: "eleven-char" }).success).toBe(false);
    expect(ZCreateUser.safeParse({ ...valid, password: "x".repeat(1025) }).success).toBe(false);
    expect(ZCreateUser.safeParse({ ...valid, role: "owner" }).success).toBe(false);
    expect(ZCreateUser.safeParse({ ...valid, passwordHash: "$argon2id$..." }).success).toBe(false);
    expect(ZCreateUser.safeParse({ ...valid, name: "bell\u0007" }).success).toBe(false);
    expect(ZCreateUser.safeParse({ ...valid, email: "not-an-email" }).success).toBe(false);
  });
});

describe("ZUpdateUser", () => {
  it("takes any of role, name, disabled, password, and at least one", () => {
    expect(ZUpdateUser.parse({ role: "viewer", name: null })).toEqual({ role: "VIEWER", name: null });
    expect(ZUpdateUser.parse({ disabled: true })).toEqual({ disabled: true });
    expect(ZUpdateUser.safeParse({}).success).toBe(false);
    expect(ZUpdateUser.safeParse({ disabled: "yes" }).success).toBe(false);
    expect(ZUpdateUser.safeParse({ email: "other@plant.example" }).success).toBe(false);
  });
});
