import { z } from "zod";

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

export const signUpBody = z.object({
  name: z.string().trim().max(100, "Keep your name under 100 characters.").optional(),
  email,
  password: z
    .string({ error: "Choose a password." })
    .min(10, "Use at least 10 characters.")
    .max(1024, "That password is too long."),
});

export type SignUpBody = z.infer<typeof signUpBody>;

export const UNDO_SEND_CHOICES = [0, 5, 10, 20, 30] as const;

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
