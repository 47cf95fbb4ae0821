import "server-only";
import { randomUUID } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { captureSandboxMail } from "@/lib/sandbox/mailbox";
import { processSingleton } from "@/lib/server/singleton";

// Account mail — password reset links and invitations — goes out through the system mailer the admin
// configures (SYSTEM_SMTP_URL), never through a user's own sender. Without it (development, a fresh install)
// the built-in sandbox captures it into a Mailbox instead: the addressee's own when they have an account
// (a reset link is never shown to anyone else), else the one of the admin who sent the invitation.

export type SystemMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Whose sandbox Mailbox captures it when no SYSTEM_SMTP_URL is set. */
  sandboxUserId: string;
};

export type SystemMailMode = "smtp" | "sandbox";

export function systemMailMode(): SystemMailMode {
  return env.SYSTEM_SMTP_URL ? "smtp" : "sandbox";
}

export async function sendSystemMail(mail: SystemMail): Promise<void> {
  const from = systemMailFrom();
  if (env.SYSTEM_SMTP_URL) {
    const transport = processSingleton<Transporter>("systemTransport", () =>
      nodemailer.createTransport(env.SYSTEM_SMTP_URL),
    );
    await transport.sendMail({
      from: { name: from.name, address: from.address },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
    });
    return;
  }
  const raw = buildMimeMessage({
    messageId: `<${randomUUID()}@${from.address.split("@")[1]}>`,
    date: new Date(),
    from,
    to: [{ address: mail.to }],
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
  });
  await captureSandboxMail(mail.sandboxUserId, { from: from.address, to: [mail.to] }, raw);
}

/** SYSTEM_MAIL_FROM ("Name <address>" or an address), or "SecureVault <no-reply@APP_URL's host>". */
export function systemMailFrom(): { name: string; address: string } {
  const configured = env.SYSTEM_MAIL_FROM?.trim();
  const named = configured && /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(configured);
  if (named) return { name: named[1]!.replace(/^"|"$/g, "") || "SecureVault", address: named[2]! };
  if (configured) return { name: "SecureVault", address: configured };
  const host = env.APP_URL ? new URL(env.APP_URL).hostname : "localhost";
  return { name: "SecureVault", address: `no-reply@${host.includes(".") ? host : "securevault.local"}` };
}

// Work whose duration must not show in an answer (does this account exist?) runs after the answer is sent.
const pending = new Set<Promise<void>>();

/** Runs account-mail work in the background; a failure is logged, never shown to whoever asked. */
export function runAccountMailTask(name: string, task: () => Promise<void>): void {
  const run = task().catch((error: unknown) => log.error({ err: error, task: name }, "account mail failed"));
  pending.add(run);
  void run.finally(() => pending.delete(run));
}

/** Resolves when every background account-mail task started so far has finished (tests, shutdown). */
export async function settleAccountMail(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}

/** The public address of a page, for links in account mail. */
export function appLink(pathAndFragment: string): string {
  const base = env.APP_URL ?? `http://localhost:${env.PORT}`;
  return new URL(pathAndFragment, base).toString();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An account mail's HTML: one paragraph per line of its text, the line that is `link` made a link. */
export function paragraphsWithLink(lines: string[], link: string): string {
  return lines
    .map((l) =>
      l === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(l)}</p>`,
    )
    .join("");
}
