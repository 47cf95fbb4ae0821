import "server-only";
import http from "node:http";
import https from "node:https";
import { lookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { isPrivateAddress } from "@/lib/mail/host-guard";

// Webhook URLs are typed in by users, so they get the SMTP hosts' guard (lib/mail/host-guard.ts): https only,
// every address the name resolves to must be public, and the request goes to the address that was checked (no
// second lookup for DNS rebinding to answer differently). Redirects are never followed — a 3xx is a failure —
// so no redirect can lead to a private address. Loopback over http is allowed only with WEBHOOK_ALLOW_LOOPBACK.

export const MAX_RESPONSE_BYTES = 64 * 1024;

export class UnsafeWebhookUrlError extends Error {}

const SLACK_HOSTS = new Set(["hooks.slack.com"]);
const DISCORD_HOSTS = new Set(["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"]);

/** Refuses a URL that can never be used (scheme, credentials, chat URL of the wrong service); no DNS here. */
export function checkWebhookUrlShape(raw: string, kind: "standard" | "slack" | "discord"): URL {
  const url = new URL(raw);
  const loopback = isLoopbackName(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback && env.WEBHOOK_ALLOW_LOOPBACK)) {
    throw new UnsafeWebhookUrlError("A webhook URL must start with https://.");
  }
  if (url.username || url.password)
    throw new UnsafeWebhookUrlError("A webhook URL must not hold a user name or password.");
  if (loopback && env.WEBHOOK_ALLOW_LOOPBACK) return url;
  if (kind === "slack" && !SLACK_HOSTS.has(url.hostname)) {
    throw new UnsafeWebhookUrlError("A Slack webhook URL starts with https://hooks.slack.com/.");
  }
  if (
    kind === "discord" &&
    (!DISCORD_HOSTS.has(url.hostname) || !url.pathname.startsWith("/api/webhooks/"))
  ) {
    throw new UnsafeWebhookUrlError("A Discord webhook URL starts with https://discord.com/api/webhooks/.");
  }
  if (isIP(url.hostname.replace(/^\[|\]$/g, "")) && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ""))) {
    throw new UnsafeWebhookUrlError(
      `${url.hostname} is a private or local address; webhooks go to public servers only.`,
    );
  }
  return url;
}

/** Resolves the URL's host to one address that is allowed, or throws UnsafeWebhookUrlError saying why not. */
export async function resolveWebhookAddress(url: URL): Promise<string> {
  const name = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(name)
    ? [name]
    : (await lookup(name, { all: true, verbatim: true })).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`${name} has no address`);
  const loopbackAllowed = env.WEBHOOK_ALLOW_LOOPBACK && isLoopbackName(name);
  const bad = loopbackAllowed ? undefined : addresses.find(isPrivateAddress);
  if (bad) {
    throw new UnsafeWebhookUrlError(
      `${name} points to a private or local address (${bad}); webhooks go to public servers only.`,
    );
  }
  return addresses[0]!;
}

export type WebhookResponse = {
  status: number | null;
  error: string | null;
  durationMs: number;
  retryAfterSeconds: number | null;
};

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * POSTs a body to the checked address with a deadline over the whole exchange; reads at most
 * MAX_RESPONSE_BYTES of the answer (a receiver is not owed more) and never follows a redirect.
 */
export async function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  {
    timeoutMs = env.WEBHOOK_TIMEOUT_MS,
    checkedAddress,
  }: {
    timeoutMs?: number;
    /** An address resolveWebhookAddress gave for this URL's host. */ checkedAddress?: string;
  } = {},
): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let address: string;
  try {
    address = checkedAddress ?? (await resolveWebhookAddress(url));
  } catch (error) {
    return { status: null, error: (error as Error).message, durationMs: elapsed(), retryAfterSeconds: null };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    const family = isIP(address);
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const secure = url.protocol === "https:";
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<WebhookResponse, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = (secure ? https : http).request(
      url,
      {
        method: "POST",
        agent: secure ? agents.https : agents.http,
        lookup: pinned,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "SecureVault-Webhooks/1",
        },
      },
      (response) => {
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? null;
          const retryAfter = Number(response.headers["retry-after"]);
          finish({
            status,
            error:
              status && status >= 300 && status < 400
                ? `redirect to ${response.headers.location ?? "?"} not followed`
                : null,
            retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
          });
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, error: `no answer within ${timeoutMs} ms`, retryAfterSeconds: null });
    }, timeoutMs);
    request.on("error", (error) => finish({ status: null, error: error.message, retryAfterSeconds: null }));
    request.end(body);
  });
}

function isLoopbackName(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, "");
  return name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}
