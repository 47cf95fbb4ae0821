// Browser-side credentials sign-in against next-auth's endpoints. It reads our JSON errors (429 with
// Retry-After) that next-auth's own client helper cannot.
import { ApiClientError, fetchJson } from "@/lib/api/client";
import type { ApiErrorBody } from "@/lib/api/error-body";

// What next-auth's `error` parameter says when the password was right but a two-factor code is needed.
const secondFactorErrors: Record<string, { message: string; code: string; status: number }> = {
  TwoFactorRequired: {
    message: "Enter the code from your authenticator app.",
    code: "two_factor_required",
    status: 401,
  },
  TwoFactorInvalid: {
    message: "That code is not right, or was already used. Enter the current code, or a recovery code.",
    code: "two_factor_invalid",
    status: 401,
  },
  TwoFactorRateLimited: {
    message: "Too many codes tried. Wait a few minutes and try again.",
    code: "rate_limited",
    status: 429,
  },
};

/** Signs in; `code` is the second step for accounts with two-factor sign-in (error code two_factor_required). */
export async function signInWithPassword(email: string, password: string, code?: string): Promise<void> {
  const { csrfToken } = await fetchJson<{ csrfToken: string }>("/api/auth/csrf");
  let res: Response;
  try {
    res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        email,
        password,
        ...(code ? { code } : {}),
        csrfToken,
        callbackUrl: "/compose",
        json: "true",
      }),
    });
  } catch {
    throw new ApiClientError("Cannot reach SecureVault. Check your connection.", 0, "network_error");
  }
  const body = (await res.json().catch(() => null)) as ({ url?: string } & Partial<ApiErrorBody>) | null;
  if (res.status === 429 || body?.error) {
    throw new ApiClientError(
      body?.error?.message ?? "Too many attempts. Try again later.",
      res.status,
      body?.error?.code ?? "rate_limited",
      {},
      Number(res.headers.get("retry-after") ?? NaN) || undefined,
    );
  }
  const problem = body?.url ? new URL(body.url, location.origin).searchParams.get("error") : null;
  const secondFactor = problem ? secondFactorErrors[problem] : undefined;
  if (secondFactor) {
    throw new ApiClientError(secondFactor.message, secondFactor.status, secondFactor.code);
  }
  if (!res.ok || !body?.url || problem !== null) {
    throw new ApiClientError("Wrong email or password.", 401, "unauthorized");
  }
}

/** Ends the session on the server (next-auth sign-out, CSRF-protected); the cookie is cleared by its reply. */
export async function signOutOfServer(): Promise<void> {
  const { csrfToken } = await fetchJson<{ csrfToken: string }>("/api/auth/csrf");
  await fetch("/api/auth/signout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
}
