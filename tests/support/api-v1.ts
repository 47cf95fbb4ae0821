// Calls /api/v1 route handlers with a Bearer key, and checks each request and answer against the OpenAPI document.
import { expect } from "vitest";
import { POST as createKeyRoute } from "@/app/api/account/api-keys/route";
import type { ApiKeyScope } from "@/lib/api-keys/scopes";
import { API_KEY_SCOPES } from "@/lib/api-keys/scopes";
import { callRoute, type TestUser } from "@/tests/support/api";
import { requestProblems, responseProblems } from "@/tests/support/openapi-check";
import { discoverApiRoutes } from "@/tests/support/routes";

export const TEST_PASSWORD = "correct horse battery staple";

/** Creates a key through the Settings route (password re-authentication), returning the key shown once. */
export async function createTestKey(
  user: TestUser,
  {
    scopes = [...API_KEY_SCOPES],
    expiresAt = null,
    name = "test",
  }: { scopes?: ApiKeyScope[]; expiresAt?: string | null; name?: string } = {},
): Promise<{ key: string; id: string }> {
  const res = await callRoute(createKeyRoute, {
    method: "POST",
    path: "/api/account/api-keys",
    user,
    json: { name, scopes, expiresAt, password: TEST_PASSWORD },
  });
  if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { key: string; apiKey: { id: string } };
  return { key: body.key, id: body.apiKey.id };
}

const routes = discoverApiRoutes().filter((r) => r.path.startsWith("/api/v1/"));

export type V1Answer = { status: number; headers: Headers; body: unknown };

/**
 * Calls a v1 operation by its document path ("/messages/{id}") and checks the request body and the answer
 * against the OpenAPI document (undocumented statuses fail too).
 */
export async function callV1(
  key: string | null,
  method: string,
  templatePath: string,
  {
    params = {},
    json,
    rawBody,
    query = "",
    headers = {},
    skipRequestCheck = false,
  }: {
    params?: Record<string, string>;
    json?: unknown;
    rawBody?: string;
    query?: string;
    headers?: Record<string, string>;
    skipRequestCheck?: boolean;
  } = {},
): Promise<V1Answer> {
  const routePath = "/api/v1" + templatePath.replace(/\{(\w+)\}/g, "[$1]");
  const route = routes.find((r) => r.path === routePath && r.method === method);
  if (!route) throw new Error(`no route file for ${method} ${routePath}`);
  if (json !== undefined && !skipRequestCheck) {
    expect(requestProblems(method, templatePath, json), `${method} ${templatePath} request`).toEqual([]);
  }
  const handler = await route.load();
  const concrete =
    "/api/v1" +
    templatePath.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? "x"));
  const res = await callRoute(handler, {
    method,
    path: concrete + query,
    json,
    rawBody,
    params,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  expect(
    responseProblems(method, templatePath, res.status, body),
    `${method} ${templatePath} → ${res.status}: ${text.slice(0, 300)}`,
  ).toEqual([]);
  return { status: res.status, headers: res.headers, body };
}
