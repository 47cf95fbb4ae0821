import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { useSecureCookies } from "@/lib/auth/cookies";
import { forgetSession } from "@/lib/auth/session";
import { createSession, endSession, resumeSession, SESSION_MAX_AGE_S } from "@/lib/auth/session-store";
import { metaFromHeaderRecord, recordAuditEvent } from "@/lib/audit/events";
import { signInSecondFactorProblem } from "@/lib/auth/two-factor";
import { authenticateUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { shareAppUrlWithNextAuth } from "@/lib/env";
import { signInBody } from "@/lib/validation/auth";

shareAppUrlWithNextAuth();

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getInstanceSecrets().authSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies,
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { type: "email" },
          password: { type: "password" },
          // Two-factor accounts: the first attempt answers error=TwoFactorRequired, the page asks for the code
          // and signs in again with it.
          code: { type: "text" },
        },
        async authorize(credentials, req) {
          const parsed = signInBody.safeParse(credentials);
          if (!parsed.success) return null;
          const meta = metaFromHeaderRecord(req?.headers);
          const user = await authenticateUser(parsed.data.email, parsed.data.password);
          if (!user) {
            await recordFailedSignIn(parsed.data.email, meta);
            return null;
          }
          const code = typeof credentials?.code === "string" ? credentials.code.slice(0, 64) : undefined;
          const problem = await signInSecondFactorProblem(user.id, code, meta);
          // next-auth puts a thrown error's message in the answer's `error` parameter for the page.
          if (problem) throw new Error(problem);
          await recordAuditEvent(user.id, "sign_in", meta);
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          // Checked on every request (lib/auth/session.ts): bumping the user's version ends this session.
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
          // The server-side session this cookie names: signing out deletes it, so a copy stops working.
          token.sid = await createSession(user.id);
          return token;
        }
        // Any other read of the cookie by next-auth (GET /api/auth/session): an ended session gets nothing,
        // and next-auth clears its cookie.
        const live =
          typeof token.sid === "string" && !!token.sub && (await resumeSession(token.sid, token.sub));
        if (!live) throw new Error("The session has ended.");
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid !== "string") return;
        await endSession(sid);
        forgetSession(sid);
      },
    },
  };
}

// Only an existing account has someone to show the attempt to; unknown addresses leave no trace.
async function recordFailedSignIn(email: string, meta: ReturnType<typeof metaFromHeaderRecord>) {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (user) await recordAuditEvent(user.id, "sign_in_failed", meta);
}
