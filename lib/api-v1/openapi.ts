import { z } from "zod";
import { API_KEY_SCOPES, SCOPE_DESCRIPTIONS, type ApiKeyScope } from "@/lib/api-keys/scopes";
import * as answers from "@/lib/api-v1/schemas";
import { listMessagesQuery, sendMessageBody } from "@/lib/validation/messages";
import { campaignImportQuery, campaignPatch, campaignStartBody } from "@/lib/validation/campaigns";
import { templateBody, templatePatch } from "@/lib/validation/templates";
import { createWebhookBody, listDeliveriesQuery, updateWebhookBody } from "@/lib/validation/webhooks";
import { EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { eventEnvelope } from "@/lib/webhooks/events";

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes validate with and answer in
// (lib/validation/*, lib/api-v1/schemas.ts). The operations below are the one list of what v1 offers; a test
// (tests/integration/api-v1-openapi.test.ts) fails when a route file on disk and this list disagree.

type JsonSchema = Record<string, unknown>;
type Method = "get" | "post" | "patch" | "delete";

export type V1Operation = {
  method: Method;
  /** "/messages/{id}" — relative to /api/v1, in OpenAPI's notation. */
  path: string;
  operationId: string;
  summary: string;
  scope: ApiKeyScope;
  body?: JsonSchema;
  /** The body's media type when it is not JSON (a campaign's CSV). */
  bodyType?: string;
  /** The body may be left out (starting a campaign now). */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  headers?: { name: string; description: string; schema: JsonSchema }[];
  /** Success status → answer schema (null: no body). */
  success: Record<number, z.ZodType | null>;
  /** Error statuses this operation can answer besides 401, 403 and 429. */
  errors: number[];
};

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

/** The app's send body, minus the idempotency key (a header in v1). */
function v1SendBodySchema(): JsonSchema {
  const schema = toSchema(sendMessageBody, "input") as JsonSchema & {
    properties: Record<string, unknown>;
    required?: string[];
  };
  delete schema.properties.idempotencyKey;
  schema.required = (schema.required ?? []).filter((k) => k !== "idempotencyKey");
  return schema;
}

const idParam = (name: string, description: string) => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "string" },
});

export const v1Operations: V1Operation[] = [
  {
    method: "post",
    path: "/messages",
    operationId: "sendMessage",
    summary: "Send a message",
    scope: "messages:send",
    body: v1SendBodySchema(),
    headers: [
      {
        name: "Idempotency-Key",
        description:
          "A UUID you make per message. The same key and body answer the stored message again (200, replayed: true); " +
          "the same key with another body is a 409. Keys are remembered as long as the message is kept (at least 24 hours).",
        schema: { type: "string", format: "uuid" },
      },
    ],
    success: { 202: answers.sendAnswer, 200: answers.sendAnswer },
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: "get",
    path: "/messages",
    operationId: "listMessages",
    summary: "List messages, newest first (cursor pagination)",
    scope: "messages:read",
    query: listMessagesQuery,
    success: { 200: answers.messagePage },
    errors: [400],
  },
  {
    method: "get",
    path: "/messages/{id}",
    operationId: "getMessage",
    summary: "Read a message with its per-recipient outcomes",
    scope: "messages:read",
    success: { 200: answers.messageAnswer },
    errors: [404],
  },
  {
    method: "post",
    path: "/messages/{id}/cancel",
    operationId: "cancelMessage",
    summary: "Cancel a message while it waits (undo window or schedule)",
    scope: "messages:send",
    success: { 200: answers.cancelAnswer },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/senders",
    operationId: "listSenders",
    summary: "List the account's senders (never their passwords)",
    scope: "senders:read",
    success: { 200: answers.senderList },
    errors: [],
  },
  ...templateOperations(),
  ...campaignOperations(),
  {
    method: "get",
    path: "/webhooks",
    operationId: "listWebhooks",
    summary: "List webhooks",
    scope: "webhooks:manage",
    success: { 200: answers.webhookList },
    errors: [],
  },
  {
    method: "post",
    path: "/webhooks",
    operationId: "createWebhook",
    summary: "Add a webhook (the signing secret is in this answer only)",
    scope: "webhooks:manage",
    body: toSchema(createWebhookBody, "input"),
    success: { 201: answers.webhookCreated },
    errors: [400, 409, 413, 415],
  },
  {
    method: "get",
    path: "/webhooks/{id}",
    operationId: "getWebhook",
    summary: "Read a webhook",
    scope: "webhooks:manage",
    success: { 200: answers.webhookAnswer },
    errors: [404],
  },
  {
    method: "patch",
    path: "/webhooks/{id}",
    operationId: "updateWebhook",
    summary: "Change a webhook: URL, events, on/off, rotate the signing secret",
    scope: "webhooks:manage",
    body: toSchema(updateWebhookBody, "input"),
    success: { 200: answers.webhookCreated },
    errors: [400, 404, 409, 413, 415],
  },
  {
    method: "delete",
    path: "/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Delete a webhook and its queued deliveries",
    scope: "webhooks:manage",
    success: { 204: null },
    errors: [404],
  },
  {
    method: "post",
    path: "/webhooks/{id}/test",
    operationId: "sendTestEvent",
    summary: "Queue a webhook.test event for this webhook",
    scope: "webhooks:manage",
    success: { 202: z.object({ queued: z.literal(true) }) },
    errors: [404],
  },
  {
    method: "get",
    path: "/webhooks/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "List a webhook's deliveries with their attempts, newest first",
    scope: "webhooks:manage",
    query: listDeliveriesQuery,
    success: { 200: answers.webhookDeliveryList },
    errors: [400, 404],
  },
  {
    method: "post",
    path: "/webhooks/{id}/deliveries/{deliveryId}/replay",
    operationId: "replayWebhookDelivery",
    summary: "Send a delivery's event again (same webhook-id)",
    scope: "webhooks:manage",
    success: { 202: answers.webhookDeliveryAnswer },
    errors: [404],
  },
];

function templateOperations(): V1Operation[] {
  const scope = "templates:manage";
  return [
    {
      method: "get",
      path: "/templates",
      operationId: "listTemplates",
      summary: "List merge templates, last changed first",
      scope,
      success: { 200: answers.templateList },
      errors: [],
    },
    {
      method: "post",
      path: "/templates",
      operationId: "createTemplate",
      summary: "Save a merge template (Liquid: {{ first_name }})",
      scope,
      body: toSchema(templateBody, "input"),
      success: { 201: answers.templateAnswer },
      errors: [400, 409, 413, 415],
    },
    {
      method: "get",
      path: "/templates/{id}",
      operationId: "getTemplate",
      summary: "Read a merge template",
      scope,
      success: { 200: answers.templateAnswer },
      errors: [404],
    },
    {
      method: "patch",
      path: "/templates/{id}",
      operationId: "updateTemplate",
      summary: "Change a merge template",
      scope,
      body: toSchema(templatePatch, "input"),
      success: { 200: answers.templateAnswer },
      errors: [400, 404, 409, 413, 415],
    },
    {
      method: "delete",
      path: "/templates/{id}",
      operationId: "deleteTemplate",
      summary: "Delete a merge template",
      scope,
      success: { 204: null },
      errors: [404],
    },
  ];
}

function campaignOperations(): V1Operation[] {
  const scope = "campaigns:manage";
  const control = (action: "start" | "pause" | "resume" | "cancel", summary: string): V1Operation => ({
    method: "post",
    path: `/campaigns/{id}/${action}`,
    operationId: `${action}Campaign`,
    summary,
    scope,
    ...(action === "start" ? { body: toSchema(campaignStartBody, "input"), bodyOptional: true } : {}),
    success: { 200: answers.campaignAnswer },
    errors: action === "start" ? [400, 404, 409, 415] : [404, 409],
  });
  return [
    {
      method: "get",
      path: "/campaigns",
      operationId: "listCampaigns",
      summary: "List campaigns with their progress",
      scope,
      success: { 200: answers.campaignList },
      errors: [],
    },
    {
      method: "post",
      path: "/campaigns",
      operationId: "importCampaign",
      summary: "Import a CSV of recipients (a header row; at most 10 MB, 50,000 rows) as a draft campaign",
      scope,
      body: { type: "string", description: "The CSV file itself." },
      bodyType: "text/csv",
      query: campaignImportQuery,
      success: { 201: answers.campaignWithReport },
      errors: [400, 413, 415],
    },
    {
      method: "get",
      path: "/campaigns/{id}",
      operationId: "getCampaign",
      summary: "Read a campaign, its progress and its import report",
      scope,
      success: { 200: answers.campaignWithReport },
      errors: [404],
    },
    {
      method: "patch",
      path: "/campaigns/{id}",
      operationId: "updateCampaign",
      summary: "Change a draft campaign: name, sender, subject, body, template, address column",
      scope,
      body: toSchema(campaignPatch, "input"),
      success: { 200: answers.campaignAnswer },
      errors: [400, 404, 409, 413, 415],
    },
    {
      method: "delete",
      path: "/campaigns/{id}",
      operationId: "deleteCampaign",
      summary: "Delete a campaign that is not running",
      scope,
      success: { 204: null },
      errors: [404, 409],
    },
    control("start", "Start a draft campaign now, or at startAt"),
    control("pause", "Pause a running campaign (rows not yet taken wait)"),
    control("resume", "Resume a paused campaign"),
    control("cancel", "Cancel a running or paused campaign"),
  ];
}

const ERROR_TEXT: Record<number, string> = {
  400: "The request is malformed or a field is invalid (see error.fields).",
  401: "No API key, or one that is unknown, revoked or expired.",
  403: "The key lacks the scope this operation needs.",
  404: "Not found (or not this account's).",
  409: "Conflict: see the message.",
  413: "The body is too large.",
  415: "The body is not application/json.",
  429: "Over the key's rate limit: wait Retry-After seconds.",
  503: "The server is busy (its database did not take the work in time): retry after Retry-After seconds.",
};

const rateLimitHeaders = {
  RateLimit: {
    description: 'Where the key stands: "per-key";r=<requests left>;t=<seconds until the window resets>.',
    schema: { type: "string" },
  },
  "RateLimit-Policy": {
    description: 'The key\'s limit: "per-key";q=<requests>;w=<window seconds>.',
    schema: { type: "string" },
  },
};

function operationObject(op: V1Operation) {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) =>
    idParam(name!, name === "id" ? "The resource's id." : `The ${name}.`),
  );
  const queryParams = op.query
    ? Object.entries(
        (toSchema(op.query, "input") as { properties: Record<string, JsonSchema> }).properties,
      ).map(([name, schema]) => ({ name, in: "query", required: false, schema }))
    : [];
  const headerParams = (op.headers ?? []).map((h) => ({
    name: h.name,
    in: "header",
    required: false,
    description: h.description,
    schema: h.schema,
  }));
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(op.success)) {
    responses[status] = {
      description:
        Number(status) === 200 && op.operationId === "sendMessage"
          ? "A replay of a stored message."
          : "Success.",
      headers: rateLimitHeaders,
      ...(schema ? { content: { "application/json": { schema: toSchema(schema, "output") } } } : {}),
    };
  }
  for (const status of [...op.errors, 401, 403, 429, 503].sort()) {
    responses[String(status)] = {
      description: ERROR_TEXT[status],
      headers:
        status === 429 || status === 503
          ? { ...rateLimitHeaders, "Retry-After": { schema: { type: "integer" } } }
          : rateLimitHeaders,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: `Needs the \`${op.scope}\` scope.`,
    tags: [op.path.split("/")[1]],
    security: [{ apiKey: [] }],
    ...(pathParams.length + queryParams.length + headerParams.length
      ? { parameters: [...pathParams, ...queryParams, ...headerParams] }
      : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.bodyOptional,
            content: { [op.bodyType ?? "application/json"]: { schema: op.body } },
          },
        }
      : {}),
    responses,
  };
}

function webhookObject(type: (typeof WEBHOOK_EVENT_TYPES)[number]) {
  const header = (name: string, description: string) => ({
    name,
    in: "header",
    required: true,
    description,
    schema: { type: "string" },
  });
  return {
    post: {
      operationId: `event_${type.replace(/\./g, "_")}`,
      summary: type,
      description: `${EVENT_DESCRIPTIONS[type]} Signed per Standard Webhooks; verify before trusting it.`,
      parameters: [
        header("webhook-id", "The event's id: the same on every retry and replay."),
        header("webhook-timestamp", "Unix seconds when this attempt was signed."),
        header(
          "webhook-signature",
          "Space-separated v1,<base64 HMAC-SHA256 of id.timestamp.body>; one per active secret.",
        ),
      ],
      requestBody: {
        required: true,
        content: { "application/json": { schema: toSchema(eventEnvelope(type), "output") } },
      },
      responses: {
        "2XX": {
          description: "Received. Anything else (or no answer within the timeout) is retried with backoff.",
        },
        "410": { description: "Gone: the webhook is turned off and no more events are sent." },
      },
    },
  };
}

let cached: JsonSchema | null = null;

/** The document served at /api/v1/openapi.json. */
export function openApiDocument(): JsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of v1Operations) (paths[op.path] ??= {})[op.method] = operationObject(op);
  cached = {
    openapi: "3.1.0",
    info: {
      title: "SecureVault API",
      version: "1.0.0",
      description:
        "Send mail through your SecureVault senders, follow what happened to it, and get events pushed to your webhooks. " +
        "Authenticate with an API key from Settings → API keys: `Authorization: Bearer sv_live_…`.\n\nScopes:\n" +
        API_KEY_SCOPES.map((s) => `- \`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`).join("\n"),
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key: sv_live_…" } },
      schemas: { Error: toSchema(answers.errorBody, "output") },
    },
    security: [{ apiKey: [] }],
    paths,
    webhooks: Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type, webhookObject(type)])),
  };
  return cached;
}
