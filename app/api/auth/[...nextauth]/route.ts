// /api/auth/* — next-auth (credentials sign-in, sign-out, CSRF); credential sign-in attempts are rate limited.
import NextAuth from "next-auth";
import { toErrorResponse } from "@/lib/api/errors";
import { getAuthOptions } from "@/lib/auth/options";
import { clientAddress, limits } from "@/lib/rate-limit/limits";

type Ctx = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (req: Request, ctx: Ctx) => NextAuth(req as never, ctx as never, getAuthOptions()) as Promise<Response>;

export const GET = nextAuth;

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (nextauth.join("/") === "callback/credentials") {
    try {
      const form = await req.clone().formData();
      const email = String(form.get("email") ?? "").trim().toLowerCase();
      const message = "Too many sign-in attempts. Wait a few minutes and try again.";
      limits.signInPerAddress.consumeOrThrow(clientAddress(req), message);
      if (email) limits.signIn.consumeOrThrow(`email:${email}`, message);
    } catch (error) {
      return toErrorResponse(error);
    }
  }
  return nextAuth(req, ctx);
}
