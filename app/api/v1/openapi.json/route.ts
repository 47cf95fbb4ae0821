// GET /api/v1/openapi.json — the API's OpenAPI 3.1 document, generated from its zod schemas. Public.
import { withErrors } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api-v1/openapi";

export const GET = withErrors(async () =>
  Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
