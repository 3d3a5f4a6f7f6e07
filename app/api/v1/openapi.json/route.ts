import { route } from "@/lib/http/route";
import { getOpenApiDocument } from "@/lib/openapi/document";

export const GET = route({ access: "public" }, async () => getOpenApiDocument());
