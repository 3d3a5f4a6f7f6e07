/** A non-2xx answer from /api/v1, carrying the server's `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type TFetchJsonOptions = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
};

const fallbackMessages: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Your role does not allow this.",
  404: "Not found.",
  429: "Too many attempts. Wait a minute and try again.",
};

/** The one client-side fetcher: JSON in and out, errors as ApiError. */
export async function fetchJson<T>(url: string, { method = "GET", body, signal }: TFetchJsonOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal,
      credentials: "same-origin",
      cache: "no-store",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // An abort is react-query cancelling the request, not a failure to report.
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network", "Could not reach the Shopfloor server. Check the network connection and try again.");
  }

  const payload = await readJson(response);
  if (!response.ok) {
    const error = errorBody(payload);
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? fallbackMessages[response.status] ?? `The server answered ${response.status}. Try again in a moment.`,
      error?.details,
    );
  }
  return payload as T;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page, for example; the status still tells what happened.
    return undefined;
  }
}

function errorBody(payload: unknown): { code?: string; message?: string; details?: unknown } | null {
  if (typeof payload !== "object" || payload === null || !("error" in payload)) return null;
  const { error } = payload;
  if (typeof error !== "object" || error === null) return null;
  return {
    code: "code" in error && typeof error.code === "string" ? error.code : undefined,
    message: "message" in error && typeof error.message === "string" ? error.message : undefined,
    details: "details" in error ? error.details : undefined,
  };
}

export function isApiError(error: unknown, ...statuses: number[]): error is ApiError {
  return error instanceof ApiError && (statuses.length === 0 || statuses.includes(error.status));
}
