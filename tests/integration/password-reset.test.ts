// "Forgot password?" through the system mailer (here: the sandbox mailbox, no SYSTEM_SMTP_URL). Issue 21, item 6.
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  Object.assign(process.env, { PASSWORD_RESET_RATE_LIMIT: "3", PASSWORD_RESET_TTL_MINUTES: "30" });
});

import { GET as getAccount } from "@/app/api/account/route";
import { POST as requestReset } from "@/app/api/password-reset/route";
import { POST as confirmReset } from "@/app/api/password-reset/confirm/route";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { authenticateUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";
import { settleAccountMail } from "@/lib/system-mail/mailer";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { startTestSmtpServer } from "@/tests/support/smtp-test-server";

const NEW_PASSWORD = "a brand new passphrase";

const ask = (email: string) => callRoute(requestReset, { method: "POST", json: { email } });
const confirm = (token: string, newPassword = NEW_PASSWORD) =>
  callRoute(confirmReset, { method: "POST", json: { token, newPassword } });

/** The link of the newest reset mail in the user's own (sandbox) Mailbox, and its token. */
async function resetLinkOf(user: TestUser): Promise<{ link: string; token: string }> {
  await settleAccountMail();
  const mail = await db.sandboxMail.findFirstOrThrow({
    where: { userId: user.id, subject: "Reset your SecureVault password" },
    orderBy: { receivedAt: "desc" },
  });
  const { text } = await getMailboxMessageOrThrow(user.id, mail.id);
  const link = /http\S+\/reset-password#token=([A-Za-z0-9_-]+)/.exec(text);
  if (!link) throw new Error(`no reset link in: ${text}`);
  return { link: link[0], token: link[1]! };
}

describe("asking for a reset link", () => {
  it("mails a link to the account's address; only the token's hash is stored", async () => {
    const user = await signUpUser("Forgetful");
    const res = await ask(user.email);
    expect(res.status).toBe(202);
    const { link, token } = await resetLinkOf(user);
    expect(link).toMatch(/^http:\/\/localhost:\d+\/reset-password#token=/);
    const rows = await db.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);
    const minutes = (rows[0]!.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(28);
    expect(minutes).toBeLessThanOrEqual(30);
  });

  it("answers an unknown address exactly as a known one, and sends nothing", async () => {
    const user = await signUpUser("Known");
    const known = await ask(user.email);
    await settleAccountMail();
    const [mails, tokens] = [await db.sandboxMail.count(), await db.passwordResetToken.count()];
    const unknown = await ask("nobody-here@example.com");
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    await settleAccountMail();
    expect(await db.sandboxMail.count()).toBe(mails);
    expect(await db.passwordResetToken.count()).toBe(tokens);
  });

  it("is rate limited per email address (429 with Retry-After), whatever the address asking", async () => {
    const user = await signUpUser("Flooded");
    for (let i = 0; i < 3; i++) expect((await ask(user.email)).status).toBe(202);
    const limited = await ask(user.email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Three mails, not four.
    await settleAccountMail();
    expect(await db.sandboxMail.count({ where: { userId: user.id } })).toBe(3);
  });

  it("is rate limited per client address across email addresses", async () => {
    const client = "198.51.100.77";
    for (let i = 0; i < 15; i++) await requestPasswordReset(`spray-${i}@example.com`, client);
    await expect(requestPasswordReset("spray-last@example.com", client)).rejects.toMatchObject({
      status: 429,
    });
  });

  it("refuses a malformed address with 400 naming the field", async () => {
    const res = await ask("not-an-address");
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toEqual(["email"]);
  });
});

describe("using the link", () => {
  it("sets the new password once, ends every session and device, and records the reset", async () => {
    const user = await signUpUser("Resetter");
    expect((await callRoute(getAccount, { user })).status).toBe(200);
    // A device that gets push notifications: whoever had the old password may hold it.
    await db.pushSubscription.create({
      data: { userId: user.id, endpoint: `https://push.example/${user.id}`, p256dh: "k", auth: "a" },
    });
    await ask(user.email);
    const { token } = await resetLinkOf(user);
    expect((await confirm(token)).status).toBe(204);
    expect(await authenticateUser(user.email, NEW_PASSWORD)).toMatchObject({ id: user.id });
    expect(await authenticateUser(user.email, "correct horse battery staple")).toBeNull();
    // The session signed in before the reset no longer works, and no device gets mail data any more.
    expect((await callRoute(getAccount, { user })).status).toBe(401);
    expect(await db.pushSubscription.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const events = await db.auditEvent.findMany({ where: { userId: user.id, type: "password_reset" } });
    expect(events).toHaveLength(1);
    // Single use: the same link again is refused, and changes nothing.
    const again = await confirm(token, "yet another passphrase");
    expect(again.status).toBe(400);
    expect((await again.json()).error.fields).toHaveProperty("token");
    expect(await authenticateUser(user.email, NEW_PASSWORD)).toMatchObject({ id: user.id });
  });

  it("refuses an expired link", async () => {
    const user = await signUpUser("Late");
    await ask(user.email);
    const { token } = await resetLinkOf(user);
    await db.passwordResetToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await confirm(token);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/invalid, expired or already used/);
    expect(await authenticateUser(user.email, "correct horse battery staple")).toMatchObject({ id: user.id });
  });

  it("refuses a wrong token, and an older link once a newer one was sent", async () => {
    const user = await signUpUser("Twice");
    await ask(user.email);
    const first = await resetLinkOf(user);
    await ask(user.email);
    const second = await resetLinkOf(user);
    expect(second.token).not.toBe(first.token);
    expect((await confirm(first.token)).status).toBe(400);
    expect((await confirm(`${second.token.slice(0, -2)}xx`)).status).toBe(400);
    expect(await authenticateUser(user.email, "correct horse battery staple")).toMatchObject({ id: user.id });
    expect((await confirm(second.token)).status).toBe(204);
  });

  it("refuses a short new password with 400 naming newPassword, and keeps the link usable", async () => {
    const user = await signUpUser("Short");
    await ask(user.email);
    const { token } = await resetLinkOf(user);
    const res = await confirm(token, "short");
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toEqual(["newPassword"]);
    expect((await confirm(token)).status).toBe(204);
  });
});

describe("with a system mailer configured (SYSTEM_SMTP_URL)", () => {
  const settings = env as { SYSTEM_SMTP_URL?: string; SYSTEM_MAIL_FROM?: string };
  afterAll(() => {
    settings.SYSTEM_SMTP_URL = undefined;
    settings.SYSTEM_MAIL_FROM = undefined;
  });

  it("sends the link by SMTP to the account's address, from SYSTEM_MAIL_FROM, and captures nothing", async () => {
    const smtp = await startTestSmtpServer({ users: { mailer: "mailer-password" } });
    try {
      settings.SYSTEM_SMTP_URL = `smtp://mailer:mailer-password@127.0.0.1:${smtp.port}`;
      settings.SYSTEM_MAIL_FROM = "Vault Admin <accounts@vault.example>";
      const user = await signUpUser("By SMTP");
      expect((await ask(user.email)).status).toBe(202);
      await settleAccountMail();
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail!.envelopeTo).toEqual([user.email]);
      expect(mail!.parsed.from?.text).toBe('"Vault Admin" <accounts@vault.example>');
      expect(mail!.parsed.text).toMatch(/\/reset-password#token=[\w-]+/);
      expect(await db.sandboxMail.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await smtp.close();
    }
  });
});
