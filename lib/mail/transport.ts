import "server-only";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { decryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { Sender } from "@/lib/generated/prisma/client";
import { sandboxRuntime } from "@/lib/sandbox/runtime";
import { resolveSmtpTarget } from "@/lib/mail/host-guard";
import { createSmtpPool, type SmtpClientOptions, type SmtpPool } from "@/lib/mail/smtp-client";
import { sandboxCredentials } from "@/lib/senders/sandbox-sender";
import { limitsFor } from "@/lib/delivery/sender-limits";
import { requiresSmtpAuth } from "@/lib/mail/auth-policy";
import { isSecretBoundToServer, SecretTargetMismatchError } from "@/lib/senders/secret-target";

/**
 * nodemailer SMTP options for a sender; the password is decrypted only here, at the moment of use, and only for
 * the server it was entered for (lib/senders/secret-target.ts). A user's own server is reached at its checked
 * address (lib/mail/host-guard.ts); the built-in sandbox is ours and needs no check.
 */
export async function smtpOptionsFor(sender: Sender): Promise<SMTPTransport.Options> {
  const timeouts = {
    connectionTimeout: env.SMTP_TIMEOUT_MS,
    greetingTimeout: env.SMTP_TIMEOUT_MS,
    socketTimeout: env.SMTP_TIMEOUT_MS * 3,
  };
  if (sender.kind === "sandbox") {
    return {
      host: env.SANDBOX_SMTP_HOST,
      port: sandboxRuntime.port ?? env.SANDBOX_SMTP_PORT,
      secure: false,
      ignoreTLS: true,
      auth: sandboxCredentials(sender.userId),
      ...timeouts,
    };
  }
  if (!sender.host || !sender.port) throw new Error(`Sender ${sender.id} has no SMTP server configured`);
  if (sender.secretCipher && !isSecretBoundToServer(sender)) throw new SecretTargetMismatchError();
  const target = await resolveSmtpTarget(sender.host, sender.port);
  return {
    host: target.address,
    port: sender.port,
    tls: { servername: target.servername },
    secure: sender.security === "tls",
    requireTLS: sender.security === "starttls",
    ignoreTLS: sender.security === "none",
    auth: sender.username
      ? {
          user: sender.username,
          pass: sender.secretCipher ? decryptSecret(sender.secretCipher, senderSecretContext(sender.id)) : "",
        }
      : undefined,
    ...timeouts,
  };
}

/** Our SMTP client's options for a sender: a user's own server must sign in with AUTH unless the admin allows it. */
export async function smtpClientOptionsFor(sender: Sender): Promise<SmtpClientOptions> {
  const options = toClientOptions(await smtpOptionsFor(sender));
  const requireAuth = sender.kind !== "sandbox" && requiresSmtpAuth(sender.host ?? "");
  return { ...options, requireAuth };
}

type PoolEntry = { version: number; pool: Promise<SmtpPool> };
const g = globalThis as unknown as { securevaultPools?: Map<string, PoolEntry> };
const pools: Map<string, PoolEntry> = (g.securevaultPools ??= new Map());

/**
 * The delivery connection pool of a sender: our pipelining client (lib/mail/smtp-client.ts), sized by the
 * sender's limits, rebuilt when the sender's settings change. The entry holds the promise, so messages that
 * arrive together while the address is being checked share one pool.
 */
export function getSenderPool(sender: Sender): Promise<SmtpPool> {
  const version = sender.updatedAt.getTime();
  const existing = pools.get(sender.id);
  if (existing && existing.version === version) return existing.pool;
  if (existing)
    void existing.pool.then(
      (p) => p.close(),
      () => undefined,
    );
  const pool = smtpClientOptionsFor(sender).then((options) =>
    createSmtpPool(options, { maxConnections: limitsFor(sender).maxConnections }),
  );
  pools.set(sender.id, { version, pool });
  // A failed address check is not cached: the next message checks again.
  pool.catch(() => {
    if (pools.get(sender.id)?.pool === pool) pools.delete(sender.id);
  });
  return pool;
}

function toClientOptions(options: SMTPTransport.Options): SmtpClientOptions {
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port === undefined ? undefined : Number(options.port),
    secure: options.secure,
    requireTLS: options.requireTLS,
    ignoreTLS: options.ignoreTLS,
    tls: options.tls,
    auth: options.auth?.user ? { user: options.auth.user, pass: String(options.auth.pass ?? "") } : undefined,
    connectionTimeout: options.connectionTimeout,
    greetingTimeout: options.greetingTimeout,
    socketTimeout: options.socketTimeout,
  };
}

export function closeAllPools(): void {
  for (const { pool } of pools.values())
    void pool.then(
      (p) => p.close(),
      () => undefined,
    );
  pools.clear();
}
