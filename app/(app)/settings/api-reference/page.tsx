import type { Metadata } from "next";
import { ApiReference } from "@/components/settings/api-reference";
import { openApiDocument, v1Operations } from "@/lib/api-v1/openapi";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API reference" };

// The reference is the OpenAPI document itself, rendered: nothing here can say something the API does not do.
export default async function ApiReferencePage() {
  await requirePageUser();
  const doc = openApiDocument() as {
    info: { description: string };
    paths: Record<string, Record<string, OperationDoc>>;
    webhooks: Record<
      string,
      { post: { description: string; requestBody: { content: { "application/json": { schema: unknown } } } } }
    >;
  };
  const operations = v1Operations.map((op) => {
    const full = doc.paths[op.path]![op.method]!;
    return {
      method: op.method.toUpperCase(),
      path: op.path,
      operationId: op.operationId,
      summary: op.summary,
      scope: op.scope,
      parameters: (full.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        description: p.description ?? null,
      })),
      ...requestBodyOf(full),
      responses: Object.entries(full.responses).map(([status, r]) => ({
        status,
        description: r.description,
        schema: r.content?.["application/json"].schema ?? null,
      })),
    };
  });
  const events = Object.entries(doc.webhooks).map(([type, w]) => ({
    type,
    description: w.post.description,
    schema: w.post.requestBody.content["application/json"].schema,
  }));
  return <ApiReference intro={doc.info.description} operations={operations} events={events} />;
}

/** The body's schema and media type (JSON, or a campaign's CSV), and whether it may be left out. */
function requestBodyOf(full: OperationDoc) {
  const [bodyType, content] = Object.entries(full.requestBody?.content ?? {})[0] ?? [];
  return {
    body: content?.schema ?? null,
    bodyType: bodyType ?? null,
    bodyRequired: full.requestBody?.required ?? false,
  };
}

type OperationDoc = {
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: { "application/json": { schema: unknown } } }>;
};
