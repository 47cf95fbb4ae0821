import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";

// Each user's Sandbox sender signs in to the built-in SMTP server as "sandbox-<userId>" with a password
// derived from the instance secret, so the sandbox knows whose Mailbox a captured message belongs to.
const USER_PREFIX = "sandbox-";
/** What the sandbox sender is called wherever it appears (From, Settings), so nobody mistakes it for real mail. */
export const SANDBOX_LABEL = "Built-in test mailbox";
/** The label accounts made before it was renamed still carry. */
const OLD_SANDBOX_LABEL = "Sandbox (built-in test mailbox)";

export function sandboxSenderData(email: string, name?: string | null) {
  return {
    kind: "sandbox",
    preset: "sandbox",
    label: SANDBOX_LABEL,
    fromName: name || null,
    fromEmail: email,
  };
}

/** The label to show: the new name for a sandbox sender that still has the old default. */
export function sandboxLabel(label: string): string {
  return label === OLD_SANDBOX_LABEL ? SANDBOX_LABEL : label;
}

export function sandboxCredentials(userId: string): { user: string; pass: string } {
  return { user: `${USER_PREFIX}${userId}`, pass: sandboxPassword(userId) };
}

/** Returns the user id when the username/password pair is one sandboxCredentials made; null otherwise. */
export function verifySandboxCredentials(username: string, password: string): string | null {
  if (!username.startsWith(USER_PREFIX)) return null;
  const userId = username.slice(USER_PREFIX.length);
  const expected = Buffer.from(sandboxPassword(userId));
  const given = Buffer.from(password);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : null;
}

function sandboxPassword(userId: string): string {
  return createHmac("sha256", getInstanceSecrets().sandboxSecret)
    .update(`sandbox:${userId}`)
    .digest("base64url");
}
