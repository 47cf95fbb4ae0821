import { z } from "zod";

const CRLF = /[\r\n]/;

/** A single-line header value: CR or LF would let a caller inject headers. */
export const headerText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be at most ${max} characters.`)
    .refine((v) => !CRLF.test(v), `${label} must not contain line breaks.`);

export const emailAddress = z
  .string({ error: "Enter an email address." })
  .trim()
  .max(254, "That email address is too long.")
  .refine((v) => !CRLF.test(v), "An email address must not contain line breaks.")
  .pipe(z.email("Enter a valid email address."));
