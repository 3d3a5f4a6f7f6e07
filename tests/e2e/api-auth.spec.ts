import { expect, test, type APIRequestContext } from "@playwright/test";
import { listApiRoutes } from "../support/api-routes";
import { testAdmin } from "../support/test-admin";

// The OpenAPI document describes the API to anyone who may call it, as /api/v1/health does.
const publicRoutes = new Set(["/api/v1/auth/login", "/api/v1/health", "/api/v1/openapi.json"]);

async function signIn(request: APIRequestContext, baseURL: string, email = testAdmin.email, password = testAdmin.password) {
  return request.post("/api/v1/auth/login", { data: { email, password }, headers: { origin: baseURL } });
}

test.describe("API authentication", () => {
  const routes = listApiRoutes().filter((route) => !publicRoutes.has(route.path));

  test("finds the API routes on disk", () => {
    expect(routes.map((route) => route.path)).toEqual(expect.arrayContaining(["/api/v1/assets", "/api/v1/me", "/api/v1/auth/logout"]));
  });

  for (const route of routes) {
    for (const method of route.methods) {
      test(`${method} ${route.path} without a session answers 401 JSON`, async ({ request, baseURL }) => {
        const response = await request.fetch(route.path, { method, headers: { origin: baseURL! }, data: method === "GET" ? undefined : {} });
        expect(response.status()).toBe(401);
        expect(response.headers()["content-type"]).toContain("application/json");
        expect((await response.json()).error.code).toBe("unauthorized");
      });
    }
  }

  test("an unknown /api/v1 path answers 401 before 404", async ({ request }) => {
    const response = await request.get("/api/v1/no-such-thing");
    expect(response.status()).toBe(401);
  });

  test("the x-middleware-subrequest header and forged cookies do not get in (CVE-2025-29927)", async ({ request }) => {
    const headers = {
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
      cookie: "shopfloor_session=forged; __Host-shopfloor_session=forged-too",
    };
    for (const path of ["/api/v1/assets", "/api/v1/me", "/api/v1/tokens"]) {
      expect((await request.get(path, { headers })).status()).toBe(401);
    }
  });
});

test.describe("sign-in and sessions", () => {
  test("wrong password and unknown e-mail get the same 401 answer", async ({ request, baseURL }) => {
    const wrong = await signIn(request, baseURL!, testAdmin.email, "not-the-password");
    const unknown = await signIn(request, baseURL!, "nobody@shopfloor.test", "not-the-password");
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  test("a malformed body gets a 400 that names the field", async ({ request, baseURL }) => {
    const response = await request.post("/api/v1/auth/login", { data: { email: "not-an-email" }, headers: { origin: baseURL! } });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("validation");
    expect(body.error.message).toMatch(/email|password/);
  });

  test("sign-in sets an HttpOnly SameSite cookie; sign-out ends the session on the server", async ({ playwright, baseURL }) => {
    const context = await playwright.request.newContext({ baseURL });
    const login = await signIn(context, baseURL!);
    expect(login.status()).toBe(200);
    expect((await login.json()).data.user).toMatchObject({ email: testAdmin.email, role: "ADMIN" });
    expect((await login.json()).data.user.passwordHash).toBeUndefined();
    const setCookie = login.headers()["set-cookie"] ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookieValue = setCookie.split(";")[0]!;

    const me = await context.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect((await me.json()).data).toMatchObject({ kind: "user", email: testAdmin.email, role: "ADMIN" });

    expect((await context.post("/api/v1/auth/logout", { headers: { origin: baseURL! } })).status()).toBe(200);
    // Replaying the old cookie after sign-out must fail: the session is gone server-side.
    const replay = await context.get("/api/v1/me", { headers: { cookie: cookieValue } });
    expect(replay.status()).toBe(401);
    await context.dispose();
  });

  test("each sign-in issues a new session token", async ({ playwright, baseURL }) => {
    const context = await playwright.request.newContext({ baseURL });
    const first = (await signIn(context, baseURL!)).headers()["set-cookie"]?.split(";")[0];
    const second = (await signIn(context, baseURL!)).headers()["set-cookie"]?.split(";")[0];
    expect(first).toBeTruthy();
    expect(second).not.toEqual(first);
    await context.dispose();
  });
});

test.describe("cross-site requests", () => {
  const cases: [string, (baseURL: string) => Record<string, string>][] = [
    ["another site's Origin", () => ({ origin: "https://evil.example" })],
    ["Origin: null", () => ({ origin: "null" })],
    ["no Origin at all", () => ({})],
    // A same-looking Origin does not help when the browser itself says the request is cross-site.
    ["Sec-Fetch-Site: cross-site", (baseURL) => ({ origin: baseURL, "sec-fetch-site": "cross-site" })],
  ];
  for (const [label, headers] of cases) {
    test(`sign-in with ${label} is refused`, async ({ request, baseURL }) => {
      const response = await request.post("/api/v1/auth/login", { data: { email: testAdmin.email, password: testAdmin.password }, headers: headers(baseURL!) });
      expect(response.status()).toBe(403);
      expect((await response.json()).error.code).toBe("cross_site");
    });
  }

  test("a signed-in browser's cross-site POST is refused", async ({ playwright, baseURL }) => {
    const context = await playwright.request.newContext({ baseURL });
    await signIn(context, baseURL!);
    const response = await context.post("/api/v1/auth/logout", { headers: { origin: "https://evil.example" } });
    expect(response.status()).toBe(403);
    expect((await context.get("/api/v1/me")).status()).toBe(200);
    await context.dispose();
  });
});

test.describe("API tokens", () => {
  test("an admin creates a token; it authenticates with its role and only its role", async ({ playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL });
    await signIn(admin, baseURL!);
    const created = await admin.post("/api/v1/tokens", { data: { name: "mes-bridge", role: "VIEWER" }, headers: { origin: baseURL! } });
    expect(created.status()).toBe(201);
    const { secret, prefix } = (await created.json()).data;
    expect(secret).toMatch(/^sf_/);
    expect(secret.startsWith(prefix)).toBe(true);

    const integration = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    expect((await integration.get("/api/v1/assets")).status()).toBe(200);
    expect((await integration.get("/api/v1/tokens")).status()).toBe(403);
    expect((await integration.post("/api/v1/tokens", { data: { name: "x", role: "ADMIN" } })).status()).toBe(403);

    const listed = await admin.get("/api/v1/tokens");
    const tokens = (await listed.json()).data as { name: string; prefix: string }[];
    expect(tokens.some((token) => token.prefix === prefix)).toBe(true);
    expect(JSON.stringify(tokens)).not.toContain(secret);

    expect((await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: "Bearer sf_not-a-real-token" } }).then((c) => c.get("/api/v1/assets"))).status()).toBe(401);
    await admin.dispose();
    await integration.dispose();
  });
});

test.describe("health", () => {
  test("reports database, TimescaleDB, broker and worker without a login", async ({ request }) => {
    await expect
      .poll(async () => (await (await request.get("/api/v1/health")).json()).status, { timeout: 20_000 })
      .toBe("ok");
    const response = await request.get("/api/v1/health");
    expect(response.status()).toBe(200);
    const health = await response.json();
    expect(health.database.ok).toBe(true);
    expect(health.broker.ok).toBe(true);
    expect(health.worker.ok).toBe(true);
    expect(health.worker).toHaveProperty("lastMessageAt");
    expect(health.database).toHaveProperty("timescaledb");
    if (health.database.timescaledb !== null) {
      expect(health.database.timescaledb.version).toMatch(/^\d+\.\d+/);
      expect(["apache", "timescale"]).toContain(health.database.timescaledb.license);
    }
  });
});

test.describe("security headers", () => {
  test("pages and API answers carry the baseline headers", async ({ request }) => {
    const page = await request.get("/sign-in");
    expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
    expect(page.headers()["x-content-type-options"]).toBe("nosniff");
    expect(page.headers()["referrer-policy"]).toBeTruthy();
    const api = await request.get("/api/v1/health");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
    expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  });
});
