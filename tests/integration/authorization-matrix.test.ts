// Every API route × anonymous / another user / owner, with the status each must get. Routes are discovered on
// disk: a new route without a row here fails the first test, so nobody ships an endpoint nobody checked.
import { createECDH, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { newOneTimeToken } from "@/lib/auth/one-time-token";
import { db } from "@/lib/db/client";
import { API_KEY_SCOPES } from "@/lib/api-keys/scopes";
import { generateApiKey, hashApiKey } from "@/lib/api-keys/keys";
import { importCampaign, updateCampaign } from "@/lib/campaigns/campaigns";
import { pauseCampaign, startCampaign } from "@/lib/campaigns/control";
import { addSuppression } from "@/lib/campaigns/suppressions";
import { unsubscribeToken } from "@/lib/campaigns/unsubscribe";
import { createTemplate } from "@/lib/templates/templates";
import { uploadAttachment } from "@/lib/attachments/attachments";
import { saveDraft } from "@/lib/drafts/drafts";
import { saveDraftBody } from "@/lib/validation/drafts";
import { createSender } from "@/lib/senders/senders";
import { createWebhook, sendTestEvent } from "@/lib/webhooks/endpoints";
import { callRoute, enqueueTestMessage, signUpUser, type TestUser } from "@/tests/support/api";
import { concretePath, discoverApiRoutes, routeKey, type DiscoveredRoute } from "@/tests/support/routes";

const PASSWORD = "correct horse battery staple";

type Fixture = {
  user: TestUser;
  /** An uploaded file no message uses yet. */
  attachmentId: string;
  sandboxId: string;
  smtpSenderId: string;
  messageId: string;
  mailId: string;
  pushId: string;
  invitationId: string;
  /** A valid password reset link's token for the owner. */
  resetToken: string;
  apiKeyId: string;
  webhookId: string;
  /** A queued delivery of the webhook (its test event). */
  deliveryId: string;
  /** Campaigns imported from a CSV, with the SMTP sender, a subject and a body: one of each state. */
  draftCampaignId: string;
  runningCampaignId: string;
  pausedCampaignId: string;
  templateId: string;
  /** A draft kept on the server, at revision 1. */
  draftId: string;
  suppressionId: string;
  /** A valid signed unsubscribe token for a row of the draft campaign. */
  unsubscribeToken: string;
};
type RequestSpec = {
  params?: Record<string, string>;
  json?: unknown;
  query?: string;
  formData?: FormData;
  /** A body that is not JSON, with its content type. */
  raw?: { body: string; type: string };
};

type Row =
  | { exempt: string }
  | {
      anonymous: number;
      /** Another signed-in user aiming at the owner's data; a reason instead where nothing of the owner's is addressable. */
      stranger: number | { selfScoped: string };
      owner: number;
      request?: (f: Fixture) => RequestSpec;
      note?: string;
    };

const AI_OFF = "AI is not configured here: 503 not_configured means the request got past authorization";
const SELF = "acts only on the caller's own account; no id of anyone else's can be named";

const byId = (
  f: Fixture,
  key:
    | "smtpSenderId"
    | "messageId"
    | "mailId"
    | "pushId"
    | "invitationId"
    | "apiKeyId"
    | "webhookId"
    | "draftCampaignId"
    | "runningCampaignId"
    | "pausedCampaignId"
    | "templateId"
    | "suppressionId"
    | "draftId"
    | "attachmentId",
) => ({
  params: { id: f[key] },
});
const webhookBody = { url: "https://hooks.example.com/securevault", events: ["message.failed"] };
const delivery = (f: Fixture) => ({ params: { id: f.webhookId, deliveryId: f.deliveryId } });
const MAIL_WITH_FILE =
  'Subject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
  "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" +
  '--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename="a.txt"\r\n\r\nhello\r\n--b--\r\n';
const CAMPAIGN_CSV = "email;First name\nann@example.com;Ann\nbob@example.com;Bob\n";
const CAMPAIGN_CONTENT = { subject: "Hello {{ first_name }}", html: "<p>Dear {{ first_name }},</p>" };
const UNSUBSCRIBE =
  "public by design: the signed token, not a session, names the recipient and authorises this one change";
const OAUTH_OFF =
  "no OAuth client is configured here: 404 'provider not set up' comes after the session check (anonymous 401)";
// A custom server on the closed loopback port of the fixture's sender: the handshake fails fast, with 200.
const loopbackSender = (f: Fixture) => ({
  preset: "custom",
  fromEmail: f.user.email,
  host: "127.0.0.1",
  port: 9,
  security: "none",
  password: "app-password",
});

export const matrix: Record<string, Row> = {
  "GET /api/auth/[...nextauth]": { exempt: "next-auth's own routes (CSRF token, session, sign-out)" },
  "POST /api/auth/[...nextauth]": { exempt: "next-auth's own routes (credentials sign-in, sign-out)" },
  "GET /api/health": { anonymous: 200, stranger: { selfScoped: "public liveness probe" }, owner: 200 },
  // Not ready here: this test runs no delivery worker. Public, like the liveness probe, for orchestrators.
  "GET /api/ready": { anonymous: 503, stranger: { selfScoped: "public readiness probe" }, owner: 503 },
  // Without METRICS_TOKEN only loopback clients may scrape, and these requests carry no client address: refused
  // to everyone. Loopback and bearer-token access: anonymous-probes.test.ts and observability.test.ts.
  "GET /api/metrics": {
    anonymous: 403,
    stranger: { selfScoped: "Prometheus scrape, no user data" },
    owner: 403,
  },

  "POST /api/account": {
    anonymous: 201,
    stranger: { selfScoped: "sign-up is public" },
    owner: 201,
    request: () => ({ json: { email: `new-${randomUUID()}@example.com`, password: PASSWORD } }),
    note: "sign-up: public by design",
  },
  "POST /api/password-reset": {
    anonymous: 202,
    stranger: { selfScoped: "public: the answer is the same for every address, an account's or not" },
    owner: 202,
    request: (f) => ({ json: { email: f.user.email } }),
  },
  "POST /api/password-reset/confirm": {
    // The link is the credential: whoever holds it may use it, once. The owner's call comes second.
    anonymous: 204,
    stranger: { selfScoped: "public: the emailed token, not a session, authorizes it" },
    owner: 400,
    request: (f) => ({ json: { token: f.resetToken, newPassword: "another long password" } }),
    note: "single use: the anonymous call used the link up",
  },

  // The fixture's owner is the instance's admin; the other user is not.
  "GET /api/invitations": { anonymous: 401, stranger: 403, owner: 200 },
  "POST /api/invitations": { anonymous: 401, stranger: 403, owner: 201, request: () => ({ json: {} }) },
  "DELETE /api/invitations/[id]": {
    anonymous: 401,
    stranger: 403,
    owner: 200,
    request: (f) => byId(f, "invitationId"),
  },

  "GET /api/account": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "PATCH /api/account": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { undoSendSeconds: 5 } }),
  },
  "DELETE /api/account": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 204,
    request: () => ({ json: { password: PASSWORD } }),
  },
  "POST /api/account/password": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { currentPassword: PASSWORD, newPassword: "another long password" } }),
  },
  "DELETE /api/account/sessions": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 204 },
  "GET /api/account/export": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/account/audit": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/account/two-factor": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/account/two-factor/setup": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { password: PASSWORD } }),
  },
  "POST /api/account/two-factor": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 409,
    request: () => ({ json: { code: "123456" } }),
    note: "no setup started: 409 conflict means the request got past authorization",
  },
  "DELETE /api/account/two-factor": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 409,
    request: () => ({ json: { password: PASSWORD, code: "123456" } }),
    note: "two-factor is not on: 409 conflict means the request got past authorization",
  },

  "POST /api/ai/check": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { subject: "Hi", body: "Hello" } }),
  },
  "POST /api/ai/draft": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { instruction: "Say hello" } }),
    note: AI_OFF,
  },
  "POST /api/ai/rewrite": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { text: "hello", mode: "shorter" } }),
    note: AI_OFF,
  },
  "GET /api/ai/status": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/ai/subjects": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { body: "hello" } }),
    note: AI_OFF,
  },
  "POST /api/ai/template": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { instruction: "A welcome note", variables: ["first_name"] } }),
    note: AI_OFF,
  },
  "POST /api/ai/template-subjects": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => ({ json: { html: "<p>Hi {{ first_name }}</p>" } }),
    note: AI_OFF,
  },
  "POST /api/ai/transcribe": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 503,
    request: () => {
      const formData = new FormData();
      formData.set("audio", new File([new Uint8Array(16)], "a.webm", { type: "audio/webm" }));
      return { formData };
    },
    note: AI_OFF,
  },

  "POST /api/attachments": {
    anonymous: 401,
    stranger: { selfScoped: "uploads a file of the caller's own; no id of anyone else's can be named" },
    owner: 201,
    request: () => ({ query: `?name=a.txt&key=${randomUUID()}`, raw: { body: "hello", type: "text/plain" } }),
  },
  "GET /api/attachments/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "attachmentId"),
  },
  "DELETE /api/attachments/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "attachmentId"),
  },

  "GET /api/mailbox": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/mailbox/[id]": { anonymous: 401, stranger: 404, owner: 200, request: (f) => byId(f, "mailId") },
  "POST /api/mailbox/[id]/attachments": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "mailId"),
  },
  "GET /api/mailbox/[id]/attachments/[index]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ params: { id: f.mailId, index: "0" } }),
  },

  "GET /api/messages": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/messages": {
    anonymous: 401,
    // Sending through someone else's sender is the spam path this table exists for.
    stranger: 404,
    owner: 202,
    request: (f) => ({
      json: { idempotencyKey: randomUUID(), senderId: f.smtpSenderId, to: [{ address: "a@example.com" }] },
    }),
  },
  "POST /api/messages/preview": {
    anonymous: 401,
    stranger: { selfScoped: "renders the caller's own text; reads nothing stored" },
    owner: 200,
    request: () => ({ json: { html: "<p>Hello</p>" } }),
  },
  "POST /api/outbox": {
    anonymous: 401,
    // The answer is 200 with one outcome per message: another user's sender is that message's 404
    // (tests/integration/outbox-api.test.ts checks it).
    stranger: { selfScoped: "each message answers for itself; another user's sender is its 404" },
    owner: 200,
    request: (f) => ({
      json: {
        messages: [
          { idempotencyKey: randomUUID(), senderId: f.smtpSenderId, to: [{ address: "a@example.com" }] },
        ],
      },
    }),
  },
  "GET /api/messages/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "POST /api/messages/[id]/cancel": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "POST /api/messages/[id]/send-now": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },

  "GET /api/push/public-key": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/push/preferences": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "PATCH /api/push/preferences": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ json: { delivered: true, failed: true, retrying: false } }),
  },
  "GET /api/push/subscriptions": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/push/subscriptions": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: newPushSubscription() }),
  },
  "DELETE /api/push/subscriptions/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "pushId"),
  },

  "GET /api/senders": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/senders": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: (f) => ({ json: { preset: "gmail", fromEmail: f.user.email, password: "app-password" } }),
  },
  "GET /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "smtpSenderId"),
  },
  "PATCH /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "smtpSenderId"), json: { label: "Renamed" } }),
  },
  "PUT /api/senders/[id]/signature": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "smtpSenderId"), json: { html: "<p>Ann</p>" } }),
  },
  "DELETE /api/senders/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "smtpSenderId"),
  },
  "PUT /api/senders/[id]/dkim": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "smtpSenderId"), json: { selector: "sv1" } }),
  },
  "DELETE /api/senders/[id]/dkim": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "smtpSenderId"),
  },
  "POST /api/senders/[id]/test": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "smtpSenderId"),
  },

  "GET /api/account/api-keys": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/account/api-keys": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: { name: "CRM", scopes: ["messages:send"], password: PASSWORD } }),
  },
  "DELETE /api/account/api-keys/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "apiKeyId"),
  },

  "GET /api/webhooks": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/webhooks": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: webhookBody }),
  },
  "PATCH /api/webhooks/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "webhookId"), json: { description: "Renamed" } }),
  },
  "DELETE /api/webhooks/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "webhookId"),
  },
  "POST /api/webhooks/[id]/test": {
    anonymous: 401,
    stranger: 404,
    owner: 202,
    request: (f) => byId(f, "webhookId"),
  },
  "GET /api/webhooks/[id]/deliveries": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "webhookId"),
  },
  "POST /api/webhooks/[id]/deliveries/[deliveryId]/replay": {
    anonymous: 401,
    stranger: 404,
    owner: 202,
    request: delivery,
  },

  "POST /api/senders/check": {
    anonymous: 401,
    stranger: { selfScoped: "checks settings sent in the body; nothing is stored, no id is named" },
    owner: 200,
    request: (f) => ({ json: loopbackSender(f) }),
    note: "the handshake's failure is the result, in a 200",
  },
  "POST /api/senders/[id]/check": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "smtpSenderId"), json: { label: "Checked" } }),
    note: "the handshake's failure is the result, in a 200",
  },
  "GET /api/senders/oauth/[provider]/start": {
    anonymous: 401,
    // ?sender= names the owner's sender; a stranger's reconnect of it is refused in oauth-senders.test.ts,
    // where a provider is configured. Here every signed-in caller gets the unconfigured provider's 404.
    stranger: 404,
    owner: 404,
    request: (f) => ({ params: { provider: "google" }, query: `?sender=${f.smtpSenderId}` }),
    note: OAUTH_OFF,
  },
  "GET /api/senders/oauth/[provider]/callback": {
    anonymous: 401,
    stranger: { selfScoped: "the caller's own flow cookie, not an id, says what is connected" },
    owner: 404,
    request: () => ({ params: { provider: "google" }, query: "?code=c&state=s" }),
    note: OAUTH_OFF,
  },

  "GET /api/campaigns": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/campaigns": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ raw: { body: CAMPAIGN_CSV, type: "text/csv" }, query: "?name=Imported" }),
  },
  "GET /api/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "PATCH /api/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "draftCampaignId"), json: { name: "Renamed" } }),
  },
  "DELETE /api/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "POST /api/campaigns/[id]/start": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "POST /api/campaigns/[id]/pause": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "runningCampaignId"),
  },
  "POST /api/campaigns/[id]/resume": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "pausedCampaignId"),
  },
  "POST /api/campaigns/[id]/cancel": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "runningCampaignId"),
  },
  "POST /api/campaigns/[id]/dry-run": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "GET /api/campaigns/[id]/preview": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "draftCampaignId"), query: "?position=1" }),
  },
  "GET /api/campaigns/[id]/recipients": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "GET /api/campaigns/[id]/results": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "runningCampaignId"),
  },

  "GET /api/suppressions": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/suppressions": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: { email: `blocked-${randomUUID()}@example.com`, detail: "asked by phone" } }),
  },
  "DELETE /api/suppressions/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "suppressionId"),
  },

  "GET /api/templates": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/templates": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: { name: "Welcome", ...CAMPAIGN_CONTENT } }),
  },
  "POST /api/templates/preview": {
    anonymous: 401,
    stranger: { selfScoped: "fills the template sent in the body; nothing stored is read" },
    owner: 200,
    request: () => ({ json: { ...CAMPAIGN_CONTENT, values: { first_name: "Ann" } } }),
  },
  "GET /api/contacts": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 200,
    request: () => ({ query: "?q=fr" }),
  },
  "GET /api/drafts": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/drafts/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftId"),
  },
  "PUT /api/drafts/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "draftId"), json: { baseRevision: 1, subject: "Changed" } }),
    note: "ids are per user: a stranger saving on the owner's revision finds no draft of theirs (404)",
  },
  "DELETE /api/drafts/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "draftId"),
  },
  "GET /api/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "templateId"),
  },
  "PATCH /api/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "templateId"), json: { name: "Renamed" } }),
  },
  "DELETE /api/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "templateId"),
  },
  "GET /api/templates/[id]/compose": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "templateId"),
  },
  "POST /api/templates/[id]/duplicate": {
    anonymous: 401,
    stranger: 404,
    owner: 201,
    request: (f) => byId(f, "templateId"),
  },

  // A forged or altered token is refused: see "unsubscribe refuses a token it did not sign" below.
  "GET /api/unsubscribe/[token]": {
    anonymous: 200,
    stranger: { selfScoped: UNSUBSCRIBE },
    owner: 200,
    request: (f) => ({ params: { token: f.unsubscribeToken } }),
    note: "GET only shows the page: a link scanner's visit changes nothing",
  },
  "POST /api/unsubscribe/[token]": {
    anonymous: 200,
    stranger: { selfScoped: UNSUBSCRIBE },
    owner: 200,
    request: (f) => ({
      params: { token: f.unsubscribeToken },
      raw: { body: "List-Unsubscribe=One-Click", type: "application/x-www-form-urlencoded" },
    }),
    note: "RFC 8058 one-click; repeating it changes nothing and answers 200 again",
  },

  // /api/v1: "anonymous" sends no key, "another user" sends their own valid key (every scope), the owner theirs.
  "GET /api/v1/openapi.json": {
    anonymous: 200,
    stranger: { selfScoped: "public API description" },
    owner: 200,
  },
  "GET /api/v1/messages": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/v1/messages": {
    anonymous: 401,
    stranger: 404,
    owner: 202,
    request: (f) => ({ json: { senderId: f.smtpSenderId, to: [{ address: "a@example.com" }] } }),
  },
  "GET /api/v1/messages/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "POST /api/v1/messages/[id]/cancel": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "messageId"),
  },
  "GET /api/v1/senders": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "GET /api/v1/templates": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/v1/templates": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: { name: "Welcome", ...CAMPAIGN_CONTENT } }),
  },
  "GET /api/v1/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "templateId"),
  },
  "PATCH /api/v1/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "templateId"), json: { name: "Renamed" } }),
  },
  "DELETE /api/v1/templates/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "templateId"),
  },
  "GET /api/v1/campaigns": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/v1/campaigns": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ raw: { body: CAMPAIGN_CSV, type: "text/csv" }, query: "?name=Imported" }),
  },
  "GET /api/v1/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "PATCH /api/v1/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "draftCampaignId"), json: { name: "Renamed" } }),
  },
  "DELETE /api/v1/campaigns/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "POST /api/v1/campaigns/[id]/start": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "draftCampaignId"),
  },
  "POST /api/v1/campaigns/[id]/pause": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "runningCampaignId"),
  },
  "POST /api/v1/campaigns/[id]/resume": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "pausedCampaignId"),
  },
  "POST /api/v1/campaigns/[id]/cancel": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "runningCampaignId"),
  },
  "GET /api/v1/webhooks": { anonymous: 401, stranger: { selfScoped: SELF }, owner: 200 },
  "POST /api/v1/webhooks": {
    anonymous: 401,
    stranger: { selfScoped: SELF },
    owner: 201,
    request: () => ({ json: webhookBody }),
  },
  "GET /api/v1/webhooks/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "webhookId"),
  },
  "PATCH /api/v1/webhooks/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => ({ ...byId(f, "webhookId"), json: { description: "Renamed" } }),
  },
  "DELETE /api/v1/webhooks/[id]": {
    anonymous: 401,
    stranger: 404,
    owner: 204,
    request: (f) => byId(f, "webhookId"),
  },
  "POST /api/v1/webhooks/[id]/test": {
    anonymous: 401,
    stranger: 404,
    owner: 202,
    request: (f) => byId(f, "webhookId"),
  },
  "GET /api/v1/webhooks/[id]/deliveries": {
    anonymous: 401,
    stranger: 404,
    owner: 200,
    request: (f) => byId(f, "webhookId"),
  },
  "POST /api/v1/webhooks/[id]/deliveries/[deliveryId]/replay": {
    anonymous: 401,
    stranger: 404,
    owner: 202,
    request: delivery,
  },
};

const routes = discoverApiRoutes();
let stranger: TestUser;

async function makeFixture(): Promise<Fixture> {
  const user = await signUpUser();
  const sandboxId = (await db.sender.findFirstOrThrow({ where: { userId: user.id } })).id;
  // A custom server on a closed loopback port (allowlisted in tests): "test connection" fails fast, with 200.
  const smtp = await createSender(user.id, {
    preset: "custom",
    fromEmail: user.email,
    host: "127.0.0.1",
    port: 9,
    security: "none",
    password: "app-password",
  });
  await db.user.update({ where: { id: user.id }, data: { undoSendSeconds: 60, isAdmin: true } });
  const invitation = await db.invitation.create({
    data: {
      createdById: user.id,
      tokenHash: newOneTimeToken().tokenHash,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  const reset = newOneTimeToken();
  await db.passwordResetToken.create({
    data: { userId: user.id, tokenHash: reset.tokenHash, expiresAt: new Date(Date.now() + 3_600_000) },
  });
  const messageId = await enqueueTestMessage({ ...user }, sandboxId, { to: ["friend@example.com"] });
  const mail = await db.sandboxMail.create({
    data: {
      userId: user.id,
      envelopeFrom: user.email,
      envelopeTo: [],
      subject: "s",
      raw: Buffer.from(MAIL_WITH_FILE),
      size: MAIL_WITH_FILE.length,
    },
  });
  const subscription = newPushSubscription();
  const push = await db.pushSubscription.create({
    data: {
      userId: user.id,
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
    },
  });
  const apiKeyId = (await addApiKey(user)).id;
  const { webhook } = await createWebhook(user.id, {
    url: "https://hooks.example.com/securevault",
    kind: "standard",
    events: ["message.failed"],
    description: null,
  });
  await sendTestEvent(user.id, webhook.id);
  const queued = await db.webhookDelivery.findFirstOrThrow({ where: { endpointId: webhook.id } });
  // A sender of their own: a running campaign's queued messages would keep the one above from being deleted.
  const campaignSender = await createSender(user.id, {
    preset: "custom",
    fromEmail: user.email,
    host: "127.0.0.1",
    port: 9,
    security: "none",
    password: "app-password",
  });
  const campaign = async () => {
    const { campaign: imported } = await importCampaign(user.id, Buffer.from(CAMPAIGN_CSV), {});
    await updateCampaign(user.id, imported.id, { senderId: campaignSender.id, ...CAMPAIGN_CONTENT });
    return imported.id;
  };
  const [draftCampaignId, runningCampaignId, pausedCampaignId] = [
    await campaign(),
    await campaign(),
    await campaign(),
  ];
  await startCampaign(user.id, runningCampaignId);
  await startCampaign(user.id, pausedCampaignId);
  await pauseCampaign(user.id, pausedCampaignId);
  const row = await db.campaignRecipient.findFirstOrThrow({
    where: { campaignId: draftCampaignId, position: 1 },
  });
  const template = await createTemplate(user.id, { name: "Newsletter", ...CAMPAIGN_CONTENT });
  const suppression = await addSuppression(user.id, "blocked@example.com");
  const { attachment } = await uploadAttachment(
    user.id,
    { name: "notes.txt", key: randomUUID(), inline: "0" },
    "text/plain",
    new Blob(["notes"]).stream(),
  );
  const { draft } = await saveDraft(
    user.id,
    randomUUID(),
    saveDraftBody.parse({
      baseRevision: 0,
      to: [{ address: "friend@example.com" }],
      subject: "Draft",
      html: "<p>Draft</p>",
    }),
  );
  return {
    attachmentId: attachment.id,
    draftId: draft.id,
    draftCampaignId,
    runningCampaignId,
    pausedCampaignId,
    templateId: template.id,
    suppressionId: suppression.id,
    unsubscribeToken: unsubscribeToken(row.id),
    apiKeyId,
    webhookId: webhook.id,
    deliveryId: queued.id,
    user,
    sandboxId,
    smtpSenderId: smtp.id,
    messageId,
    mailId: mail.id,
    pushId: push.id,
    invitationId: invitation.id,
    resetToken: reset.token,
  };
}

/** Each user's API key with every scope, for /api/v1 (made directly: the password check is rate limited). */
const apiKeys = new Map<string, string>();
async function addApiKey(user: TestUser): Promise<{ id: string; key: string }> {
  const key = generateApiKey();
  const row = await db.apiKey.create({
    data: {
      userId: user.id,
      name: "matrix",
      prefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
      scopes: [...API_KEY_SCOPES],
    },
  });
  apiKeys.set(user.id, key);
  return { id: row.id, key };
}

function call(route: DiscoveredRoute, spec: RequestSpec, user: TestUser | null) {
  if (route.path.startsWith("/api/v1/")) {
    return route.load().then((handler) =>
      callRoute(handler, {
        method: route.method,
        path: concretePath(route.path, spec.params ?? {}) + (spec.query ?? ""),
        json: spec.json,
        rawBody: spec.raw?.body,
        params: spec.params ?? {},
        headers: {
          ...(user ? { authorization: `Bearer ${apiKeys.get(user.id)}` } : {}),
          ...(spec.raw ? { "content-type": spec.raw.type } : {}),
        },
      }),
    );
  }
  return route.load().then((handler) => {
    const url = concretePath(route.path, spec.params ?? {}) + (spec.query ?? "");
    if (spec.formData) {
      const req = new Request(`http://localhost${url}`, {
        method: route.method,
        headers: user ? { cookie: user.cookie } : {},
        body: spec.formData,
      });
      return handler(req, { params: Promise.resolve(spec.params ?? {}) });
    }
    return callRoute(handler, {
      method: route.method,
      path: url,
      user,
      json: spec.json,
      rawBody: spec.raw?.body,
      headers: spec.raw ? { "content-type": spec.raw.type } : {},
      params: spec.params ?? {},
    });
  });
}

beforeAll(async () => {
  stranger = await signUpUser("Stranger");
  await addApiKey(stranger);
});

describe("authorization matrix", () => {
  it("has a row for every route handler on disk, and no row for a route that is gone", () => {
    const onDisk = routes.map(routeKey);
    expect(onDisk.length).toBeGreaterThan(20);
    const missing = onDisk.filter((key) => !(key in matrix));
    const stale = Object.keys(matrix).filter((key) => !onDisk.includes(key));
    expect(missing, `routes without a row in the authorization matrix: ${missing.join(", ")}`).toEqual([]);
    expect(stale, `rows for routes that no longer exist: ${stale.join(", ")}`).toEqual([]);
  });

  const checked = routes.filter((r) => matrix[routeKey(r)] && !("exempt" in matrix[routeKey(r)]!));
  // Each row signs up an owner (an argon2 hash) and builds a fixture: seconds on a busy machine.
  it.each(checked.map((r) => [routeKey(r), r] as const))("%s", { timeout: 20_000 }, async (key, route) => {
    const row = matrix[key]!;
    if ("exempt" in row) return;
    const owner = await makeFixture();
    const spec = row.request?.(owner) ?? {};

    const anonymous = await call(route, row.request?.(owner) ?? {}, null);
    expect(anonymous.status, `${key} anonymous`).toBe(row.anonymous);
    if (row.anonymous === 401) expect((await anonymous.json()).error.code).toBe("unauthorized");

    if (typeof row.stranger === "number") {
      const res = await call(route, row.request?.(owner) ?? {}, stranger);
      expect(res.status, `${key} as another user`).toBe(row.stranger);
      // Nothing of the owner's changed hands: the owner still has their sender, message and mail.
      expect(await db.sender.count({ where: { id: owner.smtpSenderId, userId: owner.user.id } })).toBe(1);
      expect(await db.message.count({ where: { id: owner.messageId, status: "queued" } })).toBe(1);
    }

    const res = await call(route, spec, owner.user);
    expect(res.status, `${key} as owner: ${res.status >= 400 ? await res.text() : ""}`).toBe(row.owner);
  });

  it("unsubscribe refuses a token it did not sign, and changes nothing", { timeout: 20_000 }, async () => {
    const owner = await makeFixture();
    const token = owner.unsubscribeToken;
    const [rowId, signature] = [
      token.slice(0, token.lastIndexOf(".")),
      token.slice(token.lastIndexOf(".") + 1),
    ];
    const other = await db.campaignRecipient.findFirstOrThrow({
      where: { campaignId: owner.draftCampaignId, position: 2 },
    });
    const bad = [
      `${rowId}.${signature.slice(0, -2)}${signature.endsWith("xx") ? "yy" : "xx"}`, // altered signature
      `${other.id}.${signature}`, // another row's id with this row's signature
      rowId, // no signature
      "not-a-token",
    ];
    for (const method of ["GET", "POST"] as const) {
      const route = routes.find((r) => r.method === method && r.path === "/api/unsubscribe/[token]")!;
      for (const forged of bad) {
        const res = await call(
          route,
          {
            params: { token: forged },
            ...(method === "POST"
              ? { raw: { body: "List-Unsubscribe=One-Click", type: "application/x-www-form-urlencoded" } }
              : {}),
          },
          null,
        );
        expect(res.status, `${method} ${forged}`).toBe(404);
      }
    }
    expect(await db.suppression.count({ where: { userId: owner.user.id } })).toBe(1);
    expect(
      await db.campaignRecipient.count({
        where: { unsubscribedAt: { not: null }, campaignId: owner.draftCampaignId },
      }),
    ).toBe(0);
  });
});

/** A browser's push subscription: a real P-256 public key and auth secret, an endpoint of its own. */
function newPushSubscription() {
  return {
    endpoint: `https://push.example.com/send/${randomUUID()}`,
    keys: {
      p256dh: createECDH("prime256v1").generateKeys().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    },
  };
}
