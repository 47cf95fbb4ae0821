import "server-only";
import * as client from "openid-client";
import { env } from "@/lib/env";

// The two providers a user can connect with OAuth, as the admin configured them (lib/env.ts). Their endpoints
// come from each provider's OpenID Connect discovery document at the configured issuer, so pointing the issuer
// setting at another server (the tests' local authorization server) moves every endpoint with it.

export type OAuthProviderId = "google" | "microsoft";
export const oauthProviderIds: OAuthProviderId[] = ["google", "microsoft"];

export type OAuthProvider = {
  id: OAuthProviderId;
  name: string;
  clientId: string;
  clientSecret: string;
  /** The issuer whose discovery document (<issuer>/.well-known/openid-configuration) names the endpoints. */
  issuer: string;
  /** What is asked for, and why, is in the README ("Connect Google and Microsoft"). */
  scope: string;
  /** Extra authorization request parameters: a refresh token, and the consent screen on every connect. */
  authorizationParams: Record<string, string>;
  /** How a connected account sends: through the Gmail API, or SMTP with XOAUTH2 to this server. */
  transport:
    { kind: "gmail-api" } | { kind: "smtp"; host: string; port: number; security: "tls" | "starttls" };
  /** The sender preset whose sending limits apply (lib/delivery/sender-limits.ts). */
  preset: "gmail" | "outlook";
};

const GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";
const GMAIL_FULL_SCOPE = "https://mail.google.com/";
const OUTLOOK_SMTP_SCOPE = "https://outlook.office.com/SMTP.Send";

/** The provider as configured, or null when the admin has not set its client id and secret. */
export function oauthProvider(id: OAuthProviderId): OAuthProvider | null {
  if (id === "google") {
    if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return null;
    const viaApi = env.GOOGLE_SEND_MODE === "gmail-api";
    return {
      id,
      name: "Google",
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      issuer: env.GOOGLE_ISSUER_URL,
      scope: `openid email ${viaApi ? GMAIL_SEND_SCOPE : GMAIL_FULL_SCOPE}`,
      // Google issues a refresh token only for access_type=offline, and again on a reconnect only after consent.
      authorizationParams: { access_type: "offline", prompt: "consent" },
      transport: viaApi ? { kind: "gmail-api" } : smtpServer(env.GOOGLE_SMTP_URL),
      preset: "gmail",
    };
  }
  if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) return null;
  return {
    id,
    name: "Microsoft",
    clientId: env.MICROSOFT_CLIENT_ID,
    clientSecret: env.MICROSOFT_CLIENT_SECRET,
    issuer: `${env.MICROSOFT_AUTHORITY_URL.replace(/\/+$/, "")}/${env.MICROSOFT_TENANT}/v2.0`,
    scope: `openid email offline_access ${OUTLOOK_SMTP_SCOPE}`,
    authorizationParams: { prompt: "consent" },
    transport: smtpServer(env.MICROSOFT_SMTP_URL),
    preset: "outlook",
  };
}

/** The providers whose "Connect" button Settings shows. */
export function configuredOAuthProviders(): { id: OAuthProviderId; name: string }[] {
  return oauthProviderIds.flatMap((id) => {
    const provider = oauthProvider(id);
    return provider ? [{ id, name: provider.name }] : [];
  });
}

/** The exact redirect URI registered at the provider: the admin copies it from the README. */
export function redirectUriOf(id: OAuthProviderId): string {
  const base = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return `${base}/api/senders/oauth/${id}/callback`;
}

const g = globalThis as unknown as { securevaultOAuthConfigs?: Map<string, Promise<client.Configuration>> };
const configs: Map<string, Promise<client.Configuration>> = (g.securevaultOAuthConfigs ??= new Map());

/**
 * The openid-client configuration of a provider (its discovery document, fetched once per process). Plain http
 * is accepted only for an issuer on this machine (a local authorization server).
 */
export function clientConfigOf(provider: OAuthProvider): Promise<client.Configuration> {
  const key = `${provider.issuer}|${provider.clientId}`;
  let config = configs.get(key);
  if (!config) {
    const issuer = new URL(provider.issuer);
    config = client.discovery(
      issuer,
      provider.clientId,
      provider.clientSecret,
      undefined,
      isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    configs.set(key, config);
    // A provider that could not be reached is asked again next time.
    config.catch(() => {
      if (configs.get(key) === config) configs.delete(key);
    });
  }
  return config;
}

function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

function smtpServer(url: string): { kind: "smtp"; host: string; port: number; security: "tls" | "starttls" } {
  const parsed = new URL(url);
  const tls = parsed.protocol === "smtps:";
  return {
    kind: "smtp",
    host: parsed.hostname,
    port: Number(parsed.port) || (tls ? 465 : 587),
    security: tls ? "tls" : "starttls",
  };
}
