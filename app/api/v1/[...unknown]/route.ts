import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/route";

// Unknown /api/v1 paths answer 401 before 404, so the API's shape is not revealed to strangers.
const notFound = route({ access: "VIEWER" }, async ({ request }) => {
  throw new AppError("not_found", `No API route ${request.method} ${request.nextUrl.pathname}.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
