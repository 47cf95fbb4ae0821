import "server-only";
import * as client from "openid-client";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { oauthSignInError } from "@/lib/mail/smtp-xoauth2";
import { clientConfigOf, oauthProvider, type OAuthProviderId } from "@/lib/oauth/providers";

// An OAuth sender's tokens (the OAuthGrant row). The access token is used until shortly before it expires; then
// ONE process refreshes it — whichever sets the row's refresh lease first, in a single compare-and-swap UPDATE
// that SQLite and PostgreSQL both make atomic — while every other worker that needs it waits for the new one.
// A refresh the provider refuses (invalid_grant: revoked, expired, password changed) marks the grant refused;
// delivery then holds the sender (lib/delivery/sign-in-failures.ts) until the user reconnects.

/** Refresh this long before the access token expires, so no connection signs in with one about to lapse. */
const REFRESH_EARLY_MS = 2 * 60_000;
/** Longer than a refresh request may take (openid-client's default timeout is 30 s). */
const REFRESH_LEASE_MS = 45_000;
const WAIT_STEP_MS = 100;

export const refreshTokenContext = (senderId: string) => `sender:${senderId}:oauth-refresh`;
export const accessTokenContext = (senderId: string) => `sender:${senderId}:oauth-access`;

export type GrantTokens = {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number | undefined;
  scope: string;
};

/** The grant's columns for newly issued tokens (the connect callback stores them with the sender). */
export function grantColumns(senderId: string, tokens: GrantTokens) {
  return {
    scope: tokens.scope,
    refreshTokenCipher: encryptSecret(tokens.refreshToken, refreshTokenContext(senderId)),
    accessTokenCipher: encryptSecret(tokens.accessToken, accessTokenContext(senderId)),
    accessTokenExpiresAt: expiryOf(tokens.expiresInSeconds),
    refreshLeaseUntil: null,
    refusedAt: null,
    refreshedAt: new Date(),
  };
}

/**
 * A current access token for an OAuth sender, refreshed when it is about to expire — by one process at a time
 * across all workers. Throws an EAUTH error marked `oauth` when the provider refused the grant (the sender is
 * held until reconnected), and a plain error when the provider could not be reached (tried again later).
 */
export async function accessTokenFor(senderId: string): Promise<string> {
  const deadline = Date.now() + REFRESH_LEASE_MS * 2;
  for (;;) {
    const grant = await db.oAuthGrant.findUnique({ where: { senderId } });
    if (!grant)
      throw oauthSignInError("This sender is no longer connected: connect the account again in Settings.");
    if (grant.refusedAt) throw refusedError(grant.provider);
    const now = new Date();
    const expires = grant.accessTokenExpiresAt?.getTime() ?? 0;
    if (grant.accessTokenCipher && expires - now.getTime() > REFRESH_EARLY_MS) {
      return decryptSecret(grant.accessTokenCipher, accessTokenContext(senderId));
    }
    // The lease is taken only while nobody holds it AND the token is still the one read: a worker that read the
    // row just before another finished refreshing finds the expiry changed and reads the new token instead.
    const { count } = await db.oAuthGrant.updateMany({
      where: {
        senderId,
        refusedAt: null,
        accessTokenExpiresAt: grant.accessTokenExpiresAt,
        OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lt: now } }],
      },
      data: { refreshLeaseUntil: new Date(now.getTime() + REFRESH_LEASE_MS) },
    });
    if (count === 1)
      return refreshGrant(senderId, grant.provider as OAuthProviderId, grant.refreshTokenCipher);
    if (Date.now() > deadline)
      throw new Error("The access token could not be refreshed in time; it will be tried again.");
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

async function refreshGrant(
  senderId: string,
  providerId: OAuthProviderId,
  refreshTokenCipher: string,
): Promise<string> {
  const provider = oauthProvider(providerId);
  try {
    if (!provider) throw new Error(`${providerId} sign-in is no longer configured on this server.`);
    const refreshToken = decryptSecret(refreshTokenCipher, refreshTokenContext(senderId));
    const tokens = await client.refreshTokenGrant(await clientConfigOf(provider), refreshToken);
    await db.oAuthGrant.update({
      where: { senderId },
      data: {
        accessTokenCipher: encryptSecret(tokens.access_token, accessTokenContext(senderId)),
        accessTokenExpiresAt: expiryOf(tokens.expiresIn()),
        // Microsoft rotates refresh tokens; Google keeps the one it gave.
        ...(tokens.refresh_token
          ? { refreshTokenCipher: encryptSecret(tokens.refresh_token, refreshTokenContext(senderId)) }
          : {}),
        refreshLeaseUntil: null,
        refreshedAt: new Date(),
      },
    });
    log.info({ senderId, provider: providerId }, "oauth access token refreshed");
    return tokens.access_token;
  } catch (error) {
    const refused = error instanceof client.ResponseBodyError && error.error === "invalid_grant";
    await db.oAuthGrant.update({
      where: { senderId },
      data: { refreshLeaseUntil: null, ...(refused ? { refusedAt: new Date() } : {}) },
    });
    if (refused) {
      log.warn({ senderId, provider: providerId }, "oauth refresh refused: the sender waits for a reconnect");
      throw refusedError(providerId);
    }
    log.warn({ senderId, provider: providerId, err: describe(error) }, "oauth refresh failed");
    throw new Error(
      `${provider?.name ?? providerId} could not be reached to renew the sign-in; it will be tried again.`,
    );
  }
}

/**
 * Disconnecting: revokes the refresh token at the provider where it offers revocation (Google; Microsoft has no
 * revocation endpoint for it) and reports whether it did. The grant row goes with its sender.
 */
export async function revokeGrant(senderId: string): Promise<"revoked" | "not-offered" | "failed"> {
  const grant = await db.oAuthGrant.findUnique({ where: { senderId } });
  const provider = grant && oauthProvider(grant.provider as OAuthProviderId);
  if (!grant || !provider) return "not-offered";
  try {
    const config = await clientConfigOf(provider);
    if (!config.serverMetadata().revocation_endpoint) return "not-offered";
    const refreshToken = decryptSecret(grant.refreshTokenCipher, refreshTokenContext(senderId));
    await client.tokenRevocation(config, refreshToken, { token_type_hint: "refresh_token" });
    return "revoked";
  } catch (error) {
    log.warn({ senderId, provider: grant.provider, err: describe(error) }, "oauth revocation failed");
    return "failed";
  }
}

/** Deleting an account: every connected account's grant is revoked first, so no token outlives it at the provider. */
export async function revokeGrantsOf(userId: string): Promise<void> {
  const senders = await db.sender.findMany({
    where: { userId, oauthProvider: { not: null } },
    select: { id: true },
  });
  await Promise.all(senders.map((s) => revokeGrant(s.id)));
}

function refusedError(providerId: string) {
  const name = providerId === "google" ? "Google" : providerId === "microsoft" ? "Microsoft" : providerId;
  return oauthSignInError(
    `${name} no longer accepts this sender's sign-in (access was revoked or has expired): reconnect the account in Settings.`,
  );
}

function expiryOf(expiresInSeconds: number | undefined): Date {
  // A provider that does not say is asked again in an hour at the latest.
  return new Date(Date.now() + (expiresInSeconds ?? 3600) * 1000);
}

/** An error's kind and message for the log: never a token (openid-client's errors carry none). */
function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `${error.error}: ${error.error_description ?? ""}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
