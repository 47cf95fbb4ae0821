import "server-only";
import { simpleParser } from "mailparser";
import { env } from "@/lib/env";
import type { Sender } from "@/lib/generated/prisma/client";
import type { SendResult } from "@/lib/mail/smtp-envelope";
import { SmtpError } from "@/lib/mail/smtp-error";
import { oauthSignInError } from "@/lib/mail/smtp-xoauth2";
import { accessTokenFor } from "@/lib/oauth/tokens";

// A Google sender in gmail-api mode sends through users.messages.send (POST
// /gmail/v1/users/me/messages/send with {raw: base64url(MIME)}) under the narrow gmail.send scope, with the MIME
// SecureVault builds for SMTP (lib/mail/mime-build.ts). Gmail takes a message's recipients from its To, Cc and
// Bcc headers, so the envelope recipients not named in To or Cc go in a Bcc header, which Gmail removes before
// delivery. Gmail accepts a message whole or not at all: its outcome is every recipient's.

/** Gmail's answer in the shape of an SMTP failure, so delivery classifies it like any other (lib/mail/smtp-errors.ts). */
function gmailError(status: number, text: string) {
  // 429 and 5xx are temporary (451: try later); other 4xx refuse this message for good (554).
  const temporary = status === 429 || status >= 500;
  return new SmtpError(`Gmail API refused the message (HTTP ${status}): ${text}`, "EMESSAGE", {
    reply: { code: temporary ? 451 : 554, text: `HTTP ${status} ${text}` },
    command: "API",
  });
}

export type GmailTransport = {
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<SendResult>;
};

export function gmailApiTransport(sender: Sender): GmailTransport {
  return {
    async send(envelope, raw) {
      const token = await accessTokenFor(sender.id);
      const body = JSON.stringify({ raw: (await withBccHeader(raw, envelope.to)).toString("base64url") });
      const url = `${env.GOOGLE_GMAIL_API_URL.replace(/\/+$/, "")}/gmail/v1/users/me/messages/send`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(env.SMTP_FINAL_REPLY_TIMEOUT_MS),
        });
      } catch (cause) {
        // Whether Gmail took it is unknown: tried again, with the same Message-ID.
        const unconfirmed = new SmtpError("Gmail API did not answer", "EUNCONFIRMED", { cause, command: "API" });
        unconfirmed.accepted = [...envelope.to];
        throw unconfirmed;
      }
      const text = (await response.text()).slice(0, 500);
      if (response.status === 401) {
        throw oauthSignInError("Gmail refused the access token: reconnect the account in Settings.");
      }
      if (!response.ok) throw gmailError(response.status, errorMessageOf(text));
      const id = (JSON.parse(text) as { id?: string }).id ?? "";
      return {
        accepted: [...envelope.to],
        rejected: [],
        rejectedErrors: [],
        response: `250 Gmail API accepted ${id}`,
      };
    },
  };
}

async function withBccHeader(raw: Buffer, recipients: string[]): Promise<Buffer> {
  const parsed = await simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const named = new Set<string>();
  for (const field of [parsed.to, parsed.cc]) {
    for (const group of [field ?? []].flat()) {
      for (const a of group.value) if (a.address) named.add(a.address.toLowerCase());
    }
  }
  const bcc = recipients.filter((r) => !named.has(r.toLowerCase()));
  // Only the addresses, which delivery validated at enqueue; no display names, so nothing to encode.
  return bcc.length ? Buffer.concat([Buffer.from(`Bcc: ${bcc.join(", ")}\r\n`), raw]) : raw;
}

function errorMessageOf(text: string): string {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
  } catch {
    return text;
  }
}
