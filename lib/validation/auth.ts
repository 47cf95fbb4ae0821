import { z } from "zod";
import { headerText } from "@/lib/validation/common";
import { UNDO_SEND_CHOICES } from "@/lib/validation/undo-send-choices";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

export const signInBody = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024),
});

const newPassword = z
  .string({ error: "Choose a password." })
  .min(10, "Use at least 10 characters.")
  .max(1024, "That password is too long.");

// The random part of an emailed link (lib/auth/one-time-token.ts): 32 bytes, base64url.
const linkToken = (what: string) =>
  z
    .string({ error: `The ${what} link is incomplete. Open the link from the email again.` })
    .regex(/^[A-Za-z0-9_-]{20,100}$/, `The ${what} link is incomplete. Open the link from the email again.`);

export const signUpBody = z.object({
  // The name becomes the Sandbox sender's From name: a mail header, so no line breaks.
  name: headerText(100, "Your name").trim().optional(),
  email,
  password: newPassword,
  /** From an invitation link (/sign-up#invite=…); required when SIGNUP_MODE is invite. */
  inviteToken: linkToken("invitation").optional(),
});

export const passwordResetRequestBody = z.object({ email }).strict();

export const passwordResetBody = z.object({ token: linkToken("reset"), newPassword }).strict();
export type PasswordResetBody = z.infer<typeof passwordResetBody>;

export const createInvitationBody = z
  .object({ email: email.optional().or(z.literal("").transform(() => undefined)) })
  .strict();
export type CreateInvitationBody = z.infer<typeof createInvitationBody>;

export type SignUpBody = z.infer<typeof signUpBody>;

export { UNDO_SEND_CHOICES };

export const accountSettingsBody = z
  .object({
    undoSendSeconds: z
      .number({ error: "undoSendSeconds must be a number of seconds." })
      .int("undoSendSeconds must be a whole number of seconds.")
      .min(0, "The undo window cannot be negative.")
      .max(60, "The undo window can be at most 60 seconds."),
  })
  .partial()
  .strict();

export type AccountSettingsBody = z.infer<typeof accountSettingsBody>;

const currentPassword = z
  .string({ error: "Enter your current password." })
  .min(1, "Enter your current password.")
  .max(1024);

export const changePasswordBody = z
  .object({ currentPassword, newPassword })
  .strict()
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const deleteAccountBody = z.object({ password: currentPassword }).strict();

/** Turning two-factor sign-in on starts with the password (a stolen session must not lock the owner out). */
export const twoFactorSetupBody = z.object({ password: currentPassword }).strict();

export const twoFactorConfirmBody = z
  .object({
    code: z
      .string({ error: "Enter the 6-digit code from your authenticator app." })
      .trim()
      .regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."),
  })
  .strict();

/** A code from the app or a recovery code (xxxxx-xxxxx). */
const secondFactorCode = z
  .string({ error: "Enter a code from your authenticator app or a recovery code." })
  .trim()
  .min(6, "Enter a code from your authenticator app or a recovery code.")
  .max(32, "That code is too long.");

export const twoFactorDisableBody = z.object({ password: currentPassword, code: secondFactorCode }).strict();

export const auditQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
