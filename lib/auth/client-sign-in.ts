// Browser-side credentials sign-in against next-auth's endpoints. It reads our JSON errors (429 with
// Retry-After) that next-auth's own client helper cannot.
import { ApiClientError, fetchJson } from "@/lib/api/client";

export async function signInWithPassword(email: string, password: string): Promise<void> {
  const { csrfToken } = await fetchJson<{ csrfToken: string }>("/api/auth/csrf");
  let res: Response;
  try {
    res = await fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/compose", json: "true" }),
    });
  } catch {
    throw new ApiClientError("Cannot reach SecureVault. Check your connection.", 0, "network_error");
  }
  const body = (await res.json().catch(() => null)) as {
    url?: string;
    error?: { code: string; message: string };
  } | null;
  if (res.status === 429 || body?.error) {
    throw new ApiClientError(
      body?.error?.message ?? "Too many attempts. Try again later.",
      res.status,
      body?.error?.code ?? "rate_limited",
      {},
      Number(res.headers.get("retry-after") ?? NaN) || undefined,
    );
  }
  if (!res.ok || !body?.url || new URL(body.url, location.origin).searchParams.has("error")) {
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
