// /api/auth/* — next-auth (credentials sign-in, sign-out, CSRF). Every POST body is read here first, capped, and
// handed on as the same bytes; credential sign-ins are rate limited on the email next-auth will check.
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { ApiError, toErrorResponse } from "@/lib/api/errors";
import { readAuthBody } from "@/lib/auth/auth-body";
import { sessionCookieName } from "@/lib/auth/cookies";
import { getAuthOptions } from "@/lib/auth/options";
import { consumeSignInAttempt, forgetSignInFailures } from "@/lib/auth/sign-in-limits";
import { clientAddress } from "@/lib/rate-limit/limits";

type Ctx = { params: Promise<{ nextauth: string[] }> };

const nextAuth = (req: Request, ctx: Ctx) =>
  NextAuth(req as never, ctx as never, getAuthOptions()) as Promise<Response>;

// What next-auth serves for a credentials-only setup, by method; anything else (a credentials callback by GET,
// another provider, an empty action) would be a 500 inside next-auth.
const ACTIONS = {
  GET: new Set([
    "csrf",
    "session",
    "providers",
    "signin",
    "signin/credentials",
    "signout",
    "error",
    "verify-request",
  ]),
  POST: new Set(["signin", "signin/credentials", "callback/credentials", "signout", "session", "_log"]),
};

const unknownAction = (method: keyof typeof ACTIONS, nextauth: string[]) =>
  !ACTIONS[method].has(nextauth.join("/"));

const notFound = () => toErrorResponse(new ApiError("not_found", "No such sign-in action."));

export async function GET(req: Request, ctx: Ctx): Promise<Response> {
  if (unknownAction("GET", (await ctx.params).nextauth)) return notFound();
  return nextAuth(req, ctx);
}

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (unknownAction("POST", nextauth)) return notFound();
  const address = clientAddress(req);
  let forwarded: NextRequest;
  let email: string | null = null;
  try {
    const body = await readAuthBody(req);
    if (nextauth.join("/") === "callback/credentials") {
      email = await consumeSignInAttempt(address, body.fields?.email);
    }
    // next-auth reads nextUrl, so it gets a NextRequest; the body it parses is the one counted above.
    forwarded = new NextRequest(req.url, {
      method: req.method,
      headers: req.headers,
      body: body.bytes,
      signal: req.signal,
    });
  } catch (error) {
    return toErrorResponse(error);
  }
  const response = await nextAuth(forwarded, ctx);
  if (email && signedIn(response)) await forgetSignInFailures(address, email);
  return response;
}

// A sign-in succeeded when it issues a session. (The answer's URL cannot tell: a refused CSRF token redirects
// without an error parameter, and would otherwise clear an attacker's failures.)
function signedIn(response: Response): boolean {
  return response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${sessionCookieName}=`));
}
