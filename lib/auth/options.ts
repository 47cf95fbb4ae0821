import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { useSecureCookies } from "@/lib/auth/cookies";
import { authenticateUser } from "@/lib/auth/users";
import { getInstanceSecrets } from "@/lib/crypto/instance-secrets";
import { env } from "@/lib/env";
import { signInBody } from "@/lib/validation/auth";

const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

// next-auth reads its public URL from NEXTAUTH_URL; APP_URL is this app's name for the same thing.
process.env.NEXTAUTH_URL ??= env.APP_URL ?? `http://localhost:${env.PORT}`;

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: getInstanceSecrets().authSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies,
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials) {
          const parsed = signInBody.safeParse(credentials);
          if (!parsed.success) return null;
          const user = await authenticateUser(parsed.data.email, parsed.data.password);
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
