// What an API key may do.
export const API_KEY_SCOPES = [
  "messages:send",
  "messages:read",
  "senders:read",
  "templates:manage",
  "campaigns:manage",
  "webhooks:manage",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  "messages:send": "Send messages and cancel waiting ones",
  "messages:read": "List and read messages with their per-recipient outcomes",
  "senders:read": "List the account's senders (never their passwords)",
  "templates:manage": "List, create, change and delete merge templates",
  "campaigns:manage": "Import, change, start, pause, resume, cancel and delete campaigns (mail merges)",
  "webhooks:manage": "Create, change and delete webhooks; send test events and replays",
};

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}
