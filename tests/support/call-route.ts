import { NextRequest } from "next/server";

export type TRouteHandler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type TCallOptions = { cookie?: string; bearer?: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, string> };

const origin = "http://localhost";

/**
 * Calls a route handler as Next.js would, from the console's own origin (tests of cross-site requests
 * override the origin header); `cookie` "" or left out sends none; `bearer` sends an API token. Answers the status and the JSON body.
 */
export async function callRoute(handler: TRouteHandler, method: string, url: string, options: TCallOptions = {}) {
  const request = new NextRequest(`${origin}${url}`, {
    method,
    headers: {
      host: "localhost", origin,
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
