import "server-only";
import * as client from "openid-client";
import { ApiError } from "@/lib/api/errors";
import { useSecureCookies } from "@/lib/auth/cookies";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { clearSignInFailure } from "@/lib/delivery/sign-in-failures";
import {
  clientConfigOf,
  oauthProvider,
  redirectUriOf,
  type OAuthProvider,
  type OAuthProviderId,
} from "@/lib/oauth/providers";
import { grantColumns } from "@/lib/oauth/tokens";
import { senderPresets } from "@/lib/senders/presets";

// "Connect Google" / "Connect Microsoft": the OAuth 2.0 authorization code flow with PKCE (S256), `state` and the
// OpenID Connect `nonce`. What the callback must match — state, code verifier, nonce, provider, the sender being
// reconnected — travels in a short-lived cookie encrypted and bound to the signed-in user, so no other browser
// and no other account can finish a flow this one started.

export const FLOW_COOKIE = "sv-oauth-flow";
const FLOW_COOKIE_PATH = "/api/senders/oauth";
const FLOW_TTL_MS = 10 * 60_000;

type FlowState = { p: OAuthProviderId; s: string; v: string; n: string; r: string | null; exp: number };

/** Why a connect did not complete, as Settings explains it (components/settings/oauth-connect.tsx). */
export type ConnectFailure = "denied" | "expired" | "refused" | "account" | "unavailable";

export class ConnectError extends Error {
  constructor(
    readonly reason: ConnectFailure,
    message: string,
  ) {
    super(message);
  }
}

const flowContext = (userId: string) => `user:${userId}:oauth-flow`;

/** The provider as configured; 404 when the admin has not set it up. */
export function oauthProviderOrThrow(id: string): OAuthProvider {
  const provider = id === "google" || id === "microsoft" ? oauthProvider(id) : null;
  if (!provider) throw new ApiError("not_found", "That sign-in provider is not set up on this server.");
  return provider;
}

/**
 * Starts a connect (or a reconnect of one of the user's OAuth senders): the provider's authorization URL, and
 * the Set-Cookie header that carries the flow's secrets to the callback.
 */
export async function startConnect(
  userId: string,
  provider: OAuthProvider,
  reconnectSenderId: string | null,
): Promise<{ location: string; cookie: string }> {
  if (reconnectSenderId) {
    const sender = await db.sender.findFirst({ where: { id: reconnectSenderId, userId } });
    if (!sender) throw new ApiError("not_found", "Sender not found.");
    if (sender.oauthProvider !== provider.id) {
      throw new ApiError("conflict", `That sender is not connected with ${provider.name}.`);
    }
  }
  let config: client.Configuration;
  try {
    config = await clientConfigOf(provider);
  } catch {
    throw new ConnectError("unavailable", `${provider.name} could not be reached.`);
  }
  const verifier = client.randomPKCECodeVerifier();
  const flow: FlowState = {
    p: provider.id,
    s: client.randomState(),
    v: verifier,
    n: client.randomNonce(),
    r: reconnectSenderId,
    exp: Date.now() + FLOW_TTL_MS,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriOf(provider.id),
    response_type: "code",
    scope: provider.scope,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.s,
    nonce: flow.n,
    ...provider.authorizationParams,
  });
  const value = encryptSecret(JSON.stringify(flow), flowContext(userId));
  return { location: url.href, cookie: flowCookie(value, FLOW_TTL_MS / 1000) };
}

/** The Set-Cookie header that ends a flow (after its callback, whatever the outcome). */
export const clearedFlowCookie = () => flowCookie("", 0);

function flowCookie(value: string, maxAgeSeconds: number): string {
  // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
  const secure = useSecureCookies ? "; Secure" : "";
  return `${FLOW_COOKIE}=${value}; Path=${FLOW_COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/**
 * The callback: checks state, exchanges the code with the PKCE verifier, checks the ID token (signature, issuer,
 * audience, nonce), then creates the sender — or, for the same account, updates it with the new tokens so its
 * held messages go again. Throws ConnectError, never with a token in its message.
 */
export async function completeConnect(
  userId: string,
  provider: OAuthProvider,
  callbackUrl: URL,
  flowCookieValue: string | undefined,
): Promise<{ senderId: string; label: string; reconnected: boolean }> {
  const flow = readFlow(userId, flowCookieValue);
  if (!flow || flow.p !== provider.id) {
    throw new ConnectError("expired", "The sign-in did not start in this browser, or took too long.");
  }
  const error = callbackUrl.searchParams.get("error");
  if (error)
    throw new ConnectError(error === "access_denied" ? "denied" : "refused", `The provider said ${error}.`);
  // openid-client sends the redirect URI it is given the callback at: the registered one, whatever host served it.
  const current = new URL(redirectUriOf(provider.id));
  current.search = callbackUrl.search;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(await clientConfigOf(provider), current, {
      pkceCodeVerifier: flow.v,
      expectedState: flow.s,
      expectedNonce: flow.n,
      idTokenExpected: true,
    });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ConnectError("refused", `The sign-in could not be completed: ${why}`);
  }
  const claims = tokens.claims();
  const email = [claims?.email, claims?.preferred_username].find(
    (v): v is string => typeof v === "string" && v.includes("@"),
  );
  if (!claims || !email)
    throw new ConnectError("refused", "The provider did not say which email address signed in.");
  if (!tokens.refresh_token) {
    throw new ConnectError("refused", "The provider gave no refresh token; the connection could not last.");
  }
  const grant = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresInSeconds: tokens.expiresIn(),
    scope: tokens.scope ?? provider.scope,
  };
  return saveConnectedSender(userId, provider, flow.r, { subject: claims.sub, email }, grant);
}

async function saveConnectedSender(
  userId: string,
  provider: OAuthProvider,
  reconnectSenderId: string | null,
  account: { subject: string; email: string },
  tokens: Parameters<typeof grantColumns>[1],
): Promise<{ senderId: string; label: string; reconnected: boolean }> {
  const existing = reconnectSenderId
    ? await db.sender.findFirst({ where: { id: reconnectSenderId, userId }, include: { oauthGrant: true } })
    : await db.sender.findFirst({
        where: { userId, oauthProvider: provider.id, oauthGrant: { subject: account.subject } },
        include: { oauthGrant: true },
      });
  if (reconnectSenderId && (!existing || existing.oauthGrant?.subject !== account.subject)) {
    throw new ConnectError(
      "account",
      `Sign in to ${provider.name} as ${existing?.username ?? "the same account"}.`,
    );
  }
  const t = provider.transport;
  const server =
    t.kind === "smtp"
      ? { kind: "smtp", host: t.host, port: t.port, security: t.security }
      : { kind: "gmail-api", host: null, port: null, security: null };
  if (existing) {
    await db.$transaction([
      db.sender.update({
        where: { id: existing.id },
        // The settings change (updatedAt): the sender's pool and its in-process refusal are renewed.
        data: {
          ...server,
          username: account.email,
          lastTestedAt: null,
          lastTestOk: null,
          lastTestMessage: null,
        },
      }),
      db.oAuthGrant.update({ where: { senderId: existing.id }, data: grantColumns(existing.id, tokens) }),
    ]);
    await clearSignInFailure(existing.id);
    return { senderId: existing.id, label: existing.label, reconnected: true };
  }
  const created = await db.$transaction(async (tx) => {
    const sender = await tx.sender.create({
      data: {
        userId,
        ...server,
        preset: provider.preset,
        oauthProvider: provider.id,
        label: `${senderPresets[provider.preset].name} — ${account.email}`,
        fromEmail: account.email,
        username: account.email,
      },
    });
    await tx.oAuthGrant.create({
      data: {
        senderId: sender.id,
        provider: provider.id,
        subject: account.subject,
        ...grantColumns(sender.id, tokens),
      },
    });
    return sender;
  });
  return { senderId: created.id, label: created.label, reconnected: false };
}

function readFlow(userId: string, value: string | undefined): FlowState | null {
  if (!value) return null;
  try {
    const flow = JSON.parse(decryptSecret(value, flowContext(userId))) as FlowState;
    return flow.exp > Date.now() ? flow : null;
  } catch {
    return null;
  }
}
