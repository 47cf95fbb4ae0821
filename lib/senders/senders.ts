import { limitsFor, type SenderLimits } from "@/lib/delivery/sender-limits";
import "server-only";
import { ApiError } from "@/lib/api/errors";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { isIP } from "node:net";
import { encryptSecret, senderSecretContext } from "@/lib/crypto/secret-box";
import { dkimDnsRecord } from "@/lib/mail/dkim";
import { isAllowlistedHost, isPortAllowed, isPrivateAddress, SMTP_PORTS } from "@/lib/mail/host-guard";
import { db } from "@/lib/db/client";
import type { Sender } from "@/lib/generated/prisma/client";
import { clearSignInFailure } from "@/lib/delivery/sign-in-failures";
import { revokeGrant } from "@/lib/oauth/tokens";
import { senderPresets } from "@/lib/senders/presets";
import { sandboxLabel } from "@/lib/senders/sandbox-sender";
import { secretTargetOf } from "@/lib/senders/secret-target";
import type { CreateSenderBody, UpdateSenderBody } from "@/lib/validation/senders";
import { processSingleton } from "@/lib/server/singleton";
import { env } from "@/lib/env";
import { messageSizeLimitOf, type MessageSizeLimit } from "@/lib/attachments/size-limits";

/** What the API returns for a sender: never the password or its ciphertext. */
export type SenderView = {
  id: string;
  kind: string;
  preset: string;
  label: string;
  fromName: string | null;
  fromEmail: string;
  host: string | null;
  port: number | null;
  security: string | null;
  username: string | null;
  hasPassword: boolean;
  /** google | microsoft when the sender signs in with OAuth ("Connect Google"); its tokens never leave the server. */
  connectedWith: string | null;
  lastTestedAt: string | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  /**
   * Set when the mail server refused this sender's sign-in: its messages wait until the password is changed
   * or a connection test passes (lib/delivery/sign-in-failures.ts).
   */
  signInFailed: { at: string; reason: string } | null;
  /** The limits delivery keeps to: the preset's, with this sender's overrides. */
  limits: SenderLimits;
  /** The largest message (encoded) the sender's provider takes, and whose limit it is. */
  messageSizeLimit: MessageSizeLimit;
  /** This sender's own settings among them; null where the preset's apply. */
  limitOverrides: { maxConnections: number | null; maxPerSecond: number | null; maxPerDay: number | null };
  /** The rich-text signature new messages from this sender get (sanitized); null for none. */
  signatureHtml: string | null;
  /** DKIM signing, when set up: the domain, the selector and the DNS record to publish (never the key). */
  dkim: { domain: string; selector: string; dnsRecord: { name: string; type: "TXT"; value: string } } | null;
  createdAt: string;
};

export function toSenderView(sender: Sender): SenderView {
  return {
    id: sender.id,
    kind: sender.kind,
    preset: sender.preset,
    label: sender.kind === "sandbox" ? sandboxLabel(sender.label) : sender.label,
    fromName: sender.fromName,
    fromEmail: sender.fromEmail,
    host: sender.host,
    port: sender.port,
    security: sender.security,
    username: sender.username,
    hasPassword: sender.secretCipher !== null,
    connectedWith: sender.oauthProvider,
    lastTestedAt: sender.lastTestedAt?.toISOString() ?? null,
    lastTestOk: sender.lastTestOk,
    lastTestMessage: sender.lastTestMessage,
    signInFailed: sender.authFailedAt
      ? { at: sender.authFailedAt.toISOString(), reason: sender.authFailedReason ?? "" }
      : null,
    limits: limitsFor(sender),
    messageSizeLimit: messageSizeLimitOf(sender, env.SENDER_DEFAULT_MAX_MESSAGE_MB),
    limitOverrides: {
      maxConnections: sender.maxConnections,
      maxPerSecond: sender.maxPerSecond,
      maxPerDay: sender.maxPerDay,
    },
    signatureHtml: sender.signatureHtml,
    dkim:
      sender.dkimDomain && sender.dkimSelector && sender.dkimPublicKey
        ? {
            domain: sender.dkimDomain,
            selector: sender.dkimSelector,
            dnsRecord: dkimDnsRecord(sender.dkimSelector, sender.dkimDomain, sender.dkimPublicKey),
          }
        : null,
    createdAt: sender.createdAt.toISOString(),
  };
}

export type SendingIdentity = {
  id: string;
  kind: string;
  fromEmail: string;
  fromName: string | null;
  /** What lib/attachments/size-limits.ts needs to tell the sender's largest message. */
  preset: string;
  host: string | null;
  oauthProvider: string | null;
  smtpSizeLimit: number | null;
};

const identities = processSingleton("senderCache", () => new TtlCache<SendingIdentity>(5_000));

/** The From identity of one of the user's senders, cached briefly for the send path; 404 when not theirs. */
export async function getSendingIdentityOrThrow(userId: string, senderId: string): Promise<SendingIdentity> {
  const sender = await identities.getOrLoad(`${userId}:${senderId}`, () =>
    db.sender.findFirst({
      where: { id: senderId, userId },
      select: {
        id: true,
        kind: true,
        fromEmail: true,
        fromName: true,
        preset: true,
        host: true,
        oauthProvider: true,
        smtpSizeLimit: true,
      },
    }),
  );
  if (!sender) {
    throw new ApiError("not_found", "Sender not found.", {
      fields: { senderId: ["Choose one of your senders."] },
    });
  }
  return sender;
}

export async function listSenders(userId: string): Promise<SenderView[]> {
  const senders = await db.sender.findMany({
    where: { userId },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
  });
  return senders.map(toSenderView);
}

/** Loads one of the user's senders; 404 when it does not exist or belongs to someone else. */
export async function getSenderOrThrow(userId: string, id: string): Promise<Sender> {
  const sender = await db.sender.findFirst({ where: { id, userId } });
  if (!sender) throw new ApiError("not_found", "Sender not found.");
  return sender;
}

/** Refuses, at save time, the server settings that could never be used: a non-SMTP port or a private address. */
function assertServerAllowed(host: string | null | undefined, port: number | null | undefined) {
  if (!host || !port) return;
  const fields: Record<string, string[]> = {};
  if (!isPortAllowed(port, host)) fields.port = [`Use an SMTP port: ${SMTP_PORTS.join(", ")}.`];
  const literal = host.replace(/^\[|\]$/g, "");
  if (isIP(literal) && isPrivateAddress(literal) && !isAllowlistedHost(host)) {
    fields.host = ["That is a private or local address; use your mail provider's public server name."];
  }
  if (Object.keys(fields).length)
    throw new ApiError("validation_failed", Object.values(fields)[0]![0]!, { fields });
}

export async function createSender(userId: string, input: CreateSenderBody): Promise<SenderView> {
  const preset = senderPresets[input.preset];
  const server = newSenderServer(input);
  // The secret is bound to the sender's id, which exists once the row does: both writes or neither.
  const sender = await db.$transaction(async (tx) => {
    const created = await tx.sender.create({
      data: {
        userId,
        kind: "smtp",
        preset: input.preset,
        label: input.label || `${preset.name} — ${input.fromEmail}`,
        fromName: input.fromName || null,
        fromEmail: input.fromEmail,
        ...server,
        secretTarget: secretTargetOf(server),
        maxConnections: input.maxConnections ?? null,
        maxPerSecond: input.maxPerSecond ?? null,
        maxPerDay: input.maxPerDay ?? null,
      },
    });
    return tx.sender.update({
      where: { id: created.id },
      data: { secretCipher: encryptSecret(input.password, senderSecretContext(created.id)) },
    });
  });
  return toSenderView(sender);
}

export async function updateSender(userId: string, id: string, input: UpdateSenderBody): Promise<SenderView> {
  const existing = await getSenderOrThrow(userId, id);
  if (existing.kind === "sandbox") {
    identities.delete(`${userId}:${id}`);
    const allowed = { label: input.label, fromName: input.fromName };
    const updated = await db.sender.update({ where: { id: existing.id }, data: allowed });
    return toSenderView(updated);
  }
  identities.delete(`${userId}:${id}`);
  if (existing.oauthProvider) assertNoSignInChange(input);
  const server = updatedSenderServer(existing, input);
  const updated = await db.sender.update({
    where: { id: existing.id },
    data: {
      label: input.label,
      fromName: input.fromName,
      fromEmail: input.fromEmail,
      ...server,
      ...(input.password
        ? {
            secretCipher: encryptSecret(input.password, senderSecretContext(existing.id)),
            secretTarget: secretTargetOf(server),
          }
        : {}),
      maxConnections: input.maxConnections,
      maxPerSecond: input.maxPerSecond,
      maxPerDay: input.maxPerDay,
      // Changed settings make the last test result meaningless.
      lastTestedAt: null,
      lastTestOk: null,
      lastTestMessage: null,
    },
  });
  // New credentials are the fix a refused sign-in waits for: the sender's messages go again.
  if (input.password || input.username !== undefined) await clearSignInFailure(updated.id);
  return toSenderView(await getSenderOrThrow(userId, updated.id));
}

/** Where a new sender's mail goes: the preset's server, or the one entered; refused when it could never work. */
export function newSenderServer(input: CreateSenderBody) {
  const preset = senderPresets[input.preset];
  assertServerAllowed(preset.host ?? input.host, preset.port ?? input.port);
  return {
    host: preset.host ?? input.host ?? null,
    port: preset.port ?? input.port ?? null,
    security: preset.security ?? input.security ?? null,
    username: input.username || input.fromEmail,
  };
}

/** Where an edited sender's mail goes after the changes; a new server needs the password again. */
export function updatedSenderServer(existing: Sender, input: UpdateSenderBody) {
  const isCustom = existing.preset === "custom";
  if (isCustom) assertServerAllowed(input.host ?? existing.host, input.port ?? existing.port);
  const server = {
    host: (isCustom ? input.host : undefined) ?? existing.host,
    port: (isCustom ? input.port : undefined) ?? existing.port,
    security: (isCustom ? input.security : undefined) ?? existing.security,
    username: input.username ?? existing.username,
  };
  assertPasswordGivenForNewServer(existing, server, input.password);
  return server;
}

/** An OAuth sender signs in as the account that was connected: reconnect it to use another. */
function assertNoSignInChange(input: UpdateSenderBody) {
  const fields = (["password", "username", "host", "port", "security"] as const).filter((k) => input[k]);
  if (!fields.length) return;
  const message = "This sender is connected with its provider: reconnect it to sign in as another account.";
  throw new ApiError("validation_failed", message, {
    fields: Object.fromEntries(fields.map((k) => [k, [message]])),
  });
}

/**
 * Changing where the password goes (host, port, security, username) needs the password in the same request:
 * otherwise a stolen session could point the stored password at a server of the thief's and press Test.
 */
function assertPasswordGivenForNewServer(
  existing: Sender,
  next: Parameters<typeof secretTargetOf>[0],
  password: string | undefined,
) {
  if (password || existing.secretCipher === null) return;
  if (secretTargetOf(next) === secretTargetOf(existing)) return;
  const message = "Enter the password again: changing the server, security or username needs it.";
  throw new ApiError("validation_failed", message, { fields: { password: [message] } });
}

export async function deleteSender(userId: string, id: string): Promise<void> {
  const existing = await getSenderOrThrow(userId, id);
  if (existing.kind === "sandbox") {
    throw new ApiError("conflict", "The built-in Sandbox sender cannot be removed.");
  }
  const waiting = await db.message.count({
    where: { senderId: existing.id, status: { in: ["queued", "sending"] } },
  });
  if (waiting > 0) {
    throw new ApiError(
      "conflict",
      `This sender still has ${waiting} message(s) waiting to be sent. Try again once they are out.`,
    );
  }
  identities.delete(`${userId}:${id}`);
  // A connected account's access is given back to the provider where it takes it back (Google); the grant
  // row goes with the sender either way.
  if (existing.oauthProvider) await revokeGrant(existing.id);
  await db.sender.delete({ where: { id: existing.id } });
}

/** Whether the user has connected an account of their own (any sender besides the built-in test mailbox). */
export async function hasOwnSender(userId: string): Promise<boolean> {
  return (await db.sender.count({ where: { userId, kind: { not: "sandbox" } } })) > 0;
}
