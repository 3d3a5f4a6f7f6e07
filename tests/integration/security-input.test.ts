import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAudit } from "@/app/api/v1/audit/route";
import { PATCH } from "@/app/api/v1/users/[id]/route";
import { GET as listUsers, POST as createUserRoute } from "@/app/api/v1/users/route";
import { hashPassword } from "@/lib/auth/password";
import { createSession } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

/** Security rows 13, 14 and 21 through the users and audit API, as a signed-in admin. */
const db = getDb();
let adminCookie = "";
let adminEmail = "";

type THandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function send(handler: THandler, method: string, url: string, body: unknown, headers: Record<string, string> = {}, params: Record<string, string> = {}) {
  const request = new NextRequest(`http://localhost${url}`, {
    method,
    headers: { host: "localhost", origin: "http://localhost", cookie: adminCookie, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

const newEmail = () => `input-${randomUUID().slice(0, 8)}@shopfloor.test`;

beforeAll(async () => {
  adminEmail = newEmail();
  const admin = await db.user.create({ data: { email: adminEmail, passwordHash: await hashPassword("input-admin-password"), role: "ADMIN" } });
  adminCookie = `shopfloor_session=${await createSession(admin.id, "vitest")}`;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("rows 13–14: hostile names are stored and returned literally", () => {
  const names = ["'); DROP TABLE users;--", "<img src=x onerror=alert(1)>", `Robert"); DELETE FROM audit_log; --`];

  // Guards: parameterised SQL (Prisma, tagged templates), so text never becomes SQL; and JSON
  // answers that carry the text as it is, no HTML-escaping or stripping that would alter it.
  it.each(names)("creates, lists and audits a user named %s", async (name) => {
    const email = newEmail();
    const created = await send(createUserRoute, "POST", "/api/v1/users", { email, password: "a-fine-password", role: "viewer", name });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/json");
    const { data } = await created.json();
    expect(data.name).toBe(name);

    expect((await db.user.findUniqueOrThrow({ where: { id: data.id } })).name).toBe(name);
    const listed = (await (await send(listUsers, "GET", "/api/v1/users", undefined)).json()).data as { id: string; name: string }[];
    expect(listed.find((user) => user.id === data.id)?.name).toBe(name);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entity: "user", entityId: data.id } });
    expect(audit.after).toMatchObject({ name });
    // The tables are all still there.
    expect(await db.user.count()).toBeGreaterThan(1);
    expect(await db.auditEntry.count()).toBeGreaterThan(0);
  });

  // Guards: the formula prefix in lib/audit/find-audit.ts's CSV encoder. Without it the name
  // would reach the spreadsheet as a formula cell ("=cmd|' /C calc'!A0" runs calc in old Excel).
  it("exports a name that looks like a formula as text in the audit CSV", async () => {
    const payload = "=cmd|' /C calc'!A0";
    const email = newEmail();
    const created = await send(createUserRoute, "POST", "/api/v1/users", { email, password: "a-fine-password", role: "viewer", name: payload });
    const { data } = await created.json();
    await send(PATCH, "PATCH", `/api/v1/users/${data.id}`, { name: "@SUM(1+1)*cmd|' /C calc'!A0" }, {}, { id: data.id });

    const response = await send(getAudit, "GET", `/api/v1/audit?${new URLSearchParams({ entity: "user", user: adminEmail, format: "csv" })}`, undefined);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).split("\r\n").filter((line) => line.includes(data.id));
    const createdName = lines.find((line) => line.includes('"user.create"') && line.includes('"name"'));
    expect(createdName?.endsWith(`"name","","'=cmd|' /C calc'!A0"`)).toBe(true);
    const renamed = lines.find((line) => line.includes('"user.update"') && line.includes('"name"'));
    expect(renamed?.endsWith(`"name","'=cmd|' /C calc'!A0","'@SUM(1+1)*cmd|' /C calc'!A0"`)).toBe(true);
    // No cell anywhere starts with a formula character.
    for (const line of lines) expect(line).not.toMatch(/(^|,)"[=+\-@\t\r]/);
  });
});

describe("row 21: cross-site state changes are refused", () => {
  // Guards: the same-origin check in lib/http/route.ts (lib/http/same-origin.ts) for cookie
  // requests: a forged form or fetch from another site carries the admin's cookie but not our Origin.
  it.each([
    ["Origin: null", { origin: "null" }],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["an empty Origin", { origin: "" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
  ])("refuses a POST with the admin's cookie and %s (403, nothing created)", async (_label, headers) => {
    const email = newEmail();
    const response = await send(createUserRoute, "POST", "/api/v1/users", { email, password: "a-fine-password", role: "admin" }, headers);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("cross_site");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a cross-site PATCH too, and accepts the same change from the console's origin", async () => {
    const created = await send(createUserRoute, "POST", "/api/v1/users", { email: newEmail(), password: "a-fine-password", role: "viewer" });
    const { data } = await created.json();
    const forged = await send(PATCH, "PATCH", `/api/v1/users/${data.id}`, { role: "admin" }, { origin: "null" }, { id: data.id });
    expect(forged.status).toBe(403);
    expect((await db.user.findUniqueOrThrow({ where: { id: data.id } })).role).toBe("VIEWER");
    const genuine = await send(PATCH, "PATCH", `/api/v1/users/${data.id}`, { role: "admin" }, {}, { id: data.id });
    expect(genuine.status).toBe(200);
  });
});
