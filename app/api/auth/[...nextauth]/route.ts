// /api/auth/* — next-auth (credentials sign-in, sign-out, CSRF); credential sign-in attempts are rate limited.
import NextAuth from "next-auth";
import { toErrorResponse } from "@/lib/api/errors";
import { getAuthOptions } from "@/lib/auth/options";
import { clientAddress, limits } from "@/lib/rate-limit/limits";

type Ctx = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (req: Request, ctx: Ctx) =>
  NextAuth(req as never, ctx as never, getAuthOptions()) as Promise<Response>;

export const GET = nextAuth;

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (nextauth.join("/") !== "callback/credentials") return nextAuth(req, ctx);

  let email = "";
  try {
    // A body that is not a form is next-auth's to refuse; it must not become a 500 here.
    const form = await req
      .clone()
      .formData()
      .catch(() => null);
    email = String(form?.get("email") ?? "")
      .trim()
      .toLowerCase();
    const message = "Too many sign-in attempts. Wait a few minutes and try again.";
    await limits.signInPerAddress.consumeOrThrow(clientAddress(req), message);
    if (email) await limits.signIn.consumeOrThrow(`email:${email}`, message);
  } catch (error) {
    return toErrorResponse(error);
  }
  const response = await nextAuth(req, ctx);
  // Only failed attempts should use up an account's allowance.
  if (email && (await signedIn(response))) await limits.signIn.reset(`email:${email}`);
  return response;
}

async function signedIn(response: Response): Promise<boolean> {
  if (!response.ok) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { url?: string } | null;
  return !!body?.url && !new URL(body.url, "http://x").searchParams.has("error");
}
