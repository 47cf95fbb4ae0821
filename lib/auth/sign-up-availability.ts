import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";

// Kept apart from lib/auth/sign-up.ts on purpose: the sign-up page imports this, and a page must not be the
// first to load the rate limiters (lib/rate-limit/limits.ts keeps them on globalThis, and errors thrown by a
// page bundle's copy are not instances of a route bundle's ApiError).

export type SignUpAvailability = { mode: "open" | "invite" | "closed"; firstAccount: boolean };

/** What the sign-up page tells a visitor before they type: the mode, and whether this is the first account. */
export async function signUpAvailability(): Promise<SignUpAvailability> {
  const someone = await db.user.findFirst({ select: { id: true } });
  return { mode: env.SIGNUP_MODE, firstAccount: !someone };
}
