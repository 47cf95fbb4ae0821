import "server-only";
import { limits } from "@/lib/rate-limit/limits";
import { signInBody } from "@/lib/validation/auth";

const MESSAGE = "Too many sign-in attempts. Wait a few minutes and try again.";

/**
 * Counts one credentials sign-in attempt, or throws 429. Three counts, from narrow to wide:
 * - the account from this address (SIGNIN_RATE_LIMIT): slows one guesser, and leaves the rightful user signing
 *   in from another address untouched;
 * - this address across accounts (5×): one guesser spraying many accounts;
 * - the account from every address (10×): a guesser with many addresses.
 * `email` is the field next-auth will check (lib/auth/auth-body.ts), normalised as authorize() normalises it; an
 * attempt without a valid email never reaches a password check, so it counts for the address only.
 */
export async function consumeSignInAttempt(address: string, rawEmail: unknown): Promise<string | null> {
  await limits.signInPerAddress.consumeOrThrow(address, MESSAGE);
  const email = signInBody.shape.email.safeParse(rawEmail);
  if (!email.success) return null;
  await limits.signIn.consumeOrThrow(accountAtAddress(email.data, address), MESSAGE);
  await limits.signInPerAccount.consumeOrThrow(`email:${email.data}`, MESSAGE);
  return email.data;
}

/**
 * Only failed attempts should use up an allowance: a successful sign-in clears the account's counts and gives
 * back its own hit on the address's count, so many people signing in from one address (an office behind one
 * NAT) never wait, while a guesser's failures there still add up — a success refunds only itself.
 */
export async function forgetSignInFailures(address: string, email: string): Promise<void> {
  await limits.signInPerAddress.release(address);
  await limits.signIn.reset(accountAtAddress(email, address));
  await limits.signInPerAccount.reset(`email:${email}`);
}

const accountAtAddress = (email: string, address: string) => `email:${email}|address:${address}`;
