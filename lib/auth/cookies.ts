import { env } from "@/lib/env";

/** Session cookies are Secure when the app is served over https (APP_URL), httpOnly and SameSite=Lax always. */
export const useSecureCookies = env.APP_URL?.startsWith("https://") ?? false;
export const sessionCookieName = `${useSecureCookies ? "__Secure-" : ""}next-auth.session-token`;
