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
