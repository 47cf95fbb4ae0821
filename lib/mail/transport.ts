import "server-only";
import os from "node:os";
import { decryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { Sender } from "@/lib/generated/prisma/client";
import { sandboxRuntime } from "@/lib/sandbox/runtime";
import { ehloName } from "@/lib/mail/ehlo-name";
import { resolveSmtpTarget } from "@/lib/mail/host-guard";
import {
  createSmtpPool,
  type SmtpClientOptions,
  type SmtpPool,
  type SmtpSecurity,
} from "@/lib/mail/smtp-client";
import { smtpTrustedCas } from "@/lib/mail/smtp-trust";
import { sandboxCredentials } from "@/lib/senders/sandbox-sender";
import { requiresSmtpAuth } from "@/lib/mail/auth-policy";
import { accessTokenFor } from "@/lib/oauth/tokens";
import { isSecretBoundToServer, SecretTargetMismatchError } from "@/lib/senders/secret-target";
import { processSingleton } from "@/lib/server/singleton";

/** An idle session is let go after a minute; providers close theirs after about as long. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * The SMTP client's options for a sender, for sending and for "Test connection" alike; the password is
 * decrypted only here, at the moment of use, and only for the server it was entered for
 * (lib/senders/secret-target.ts). A user's own server is reached at its checked address
 * (lib/mail/host-guard.ts) and must sign in with AUTH unless the admin allows it (lib/mail/auth-policy.ts);
 * the built-in sandbox is ours and needs neither.
 */
export async function smtpOptionsFor(sender: Sender): Promise<SmtpClientOptions> {
  const common = {
    name: ehloName({ configured: env.SMTP_EHLO_NAME, appUrl: env.APP_URL, hostname: os.hostname() }),
    timeouts: {
      connect: env.SMTP_CONNECT_TIMEOUT_MS ?? env.SMTP_TIMEOUT_MS,
      greeting: env.SMTP_GREETING_TIMEOUT_MS ?? env.SMTP_TIMEOUT_MS,
      command: env.SMTP_COMMAND_TIMEOUT_MS ?? env.SMTP_TIMEOUT_MS,
      finalReply: env.SMTP_FINAL_REPLY_TIMEOUT_MS,
      idle: IDLE_TIMEOUT_MS,
    },
  };
  if (sender.kind === "sandbox") {
    return {
      ...common,
      host: env.SANDBOX_SMTP_HOST,
      port: sandboxRuntime.port ?? env.SANDBOX_SMTP_PORT,
      security: "none",
      auth: sandboxCredentials(sender.userId),
    };
  }
  if (!sender.host || !sender.port) throw new Error(`Sender ${sender.id} has no SMTP server configured`);
  if (sender.secretCipher && !isSecretBoundToServer(sender)) throw new SecretTargetMismatchError();
  const target = await resolveSmtpTarget(sender.host, sender.port);
  const ca = smtpTrustedCas(env.SMTP_CA_FILE);
  return {
    ...common,
    host: target.address,
    port: sender.port,
    tls: { servername: target.servername, ...(ca ? { ca } : {}) },
    security: securityOf(sender.security),
    requireAuth: requiresSmtpAuth(sender.host),
    auth: sender.oauthProvider
      ? { user: sender.username ?? sender.fromEmail, accessToken: () => accessTokenFor(sender.id) }
      : sender.username
        ? {
            user: sender.username,
            pass: sender.secretCipher ? decryptSecret(sender.secretCipher, senderSecretContext(sender.id)) : "",
          }
        : undefined,
  };
}

/** A sender's security setting as the client's; a sender saved without one uses STARTTLS when offered. */
function securityOf(setting: string | null): SmtpSecurity {
  return setting === "tls" || setting === "starttls" || setting === "none" ? setting : "starttls-if-offered";
}

type PoolEntry = { version: number; pool: Promise<SmtpPool> };
const pools = processSingleton("smtpPools", () => new Map<string, PoolEntry>());

/**
 * The delivery connection pool of a sender: our pipelining client (lib/mail/smtp-client.ts), sized by the
 * caller (delivery knows the sender's limits), rebuilt when the sender's settings change. The entry holds the promise, so messages that
 * arrive together while the address is being checked share one pool.
 */
export function getSenderPool(
  sender: Sender,
  { maxConnections }: { maxConnections: number },
): Promise<SmtpPool> {
  const version = sender.updatedAt.getTime();
  const existing = pools.get(sender.id);
  if (existing && existing.version === version) return existing.pool;
  if (existing)
    void existing.pool.then(
      (p) => p.close(),
      () => undefined,
    );
  const pool = smtpOptionsFor(sender).then((options) => createSmtpPool(options, { maxConnections }));
  pools.set(sender.id, { version, pool });
  // A failed address check is not cached: the next message checks again.
  pool.catch(() => {
    if (pools.get(sender.id)?.pool === pool) pools.delete(sender.id);
  });
  return pool;
}

export function closeAllPools(): void {
  for (const { pool } of pools.values())
    void pool.then(
      (p) => p.close(),
      () => undefined,
    );
  pools.clear();
}
