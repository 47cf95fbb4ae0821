// Checks real requests and answers against the served OpenAPI document (lib/api-v1/openapi.ts) with a JSON
// Schema 2020-12 validator: what the document promises is what the routes do.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { openApiDocument } from "@/lib/api-v1/openapi";

type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
  webhooks: Record<string, { post: Operation }>;
};
type Operation = {
  requestBody?: { content: { "application/json": { schema: object } } };
  responses: Record<string, { content?: { "application/json": { schema: object } } }>;
};

const doc = openApiDocument() as unknown as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: "openapi", components: doc.components } as object);
const compiled = new Map<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    // "#/components/…" refs point into the document: resolve them against the registered copy.
    const rewritten = JSON.parse(
      JSON.stringify(schema).replace(/"#\/components\//g, '"openapi#/components/'),
    );
    fn = ajv.compile(rewritten);
    compiled.set(schema, fn);
  }
  return fn;
}

function operation(method: string, templatePath: string): Operation {
  const op = doc.paths[templatePath]?.[method.toLowerCase()];
  if (!op) throw new Error(`The OpenAPI document has no ${method} ${templatePath}`);
  return op;
}

/** Problems of a response against the document's answer for that status (an undocumented status is one). */
export function responseProblems(
  method: string,
  templatePath: string,
  status: number,
  body: unknown,
): string[] {
  const answer = operation(method, templatePath).responses[String(status)];
  if (!answer) return [`status ${status} is not documented for ${method} ${templatePath}`];
  const schema = answer.content?.["application/json"]?.schema;
  if (!schema) return body === null ? [] : ["the document says this answer has no body"];
  const validate = validatorFor(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** Problems of a request body against the document's requestBody. */
export function requestProblems(method: string, templatePath: string, body: unknown): string[] {
  const schema = operation(method, templatePath).requestBody?.content["application/json"].schema;
  if (!schema) return body === undefined ? [] : ["the document says this operation takes no body"];
  const validate = validatorFor(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/** Problems of a webhook request's body against the document's `webhooks` entry for its type. */
export function eventProblems(type: string, body: unknown): string[] {
  const schema = doc.webhooks[type]?.post.requestBody?.content["application/json"].schema;
  if (!schema) return [`event ${type} is not in the document`];
  const validate = validatorFor(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

export { doc as openApiDoc };
