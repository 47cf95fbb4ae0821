// next-auth's App Router handler reads headers() and cookies() from Next's request scope, which only a Next.js
// server creates. Importing this module stands in for it: next-auth (4.24, next/index.js) loads next/headers
// with a plain require() inside its handler — outside vitest's module graph, so vi.mock cannot reach it — and
// gets these two functions, which answer from requestScope. serveRoute runs each request inside it.
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

export const requestScope = new AsyncLocalStorage<Headers>();

const current = () => requestScope.getStore() ?? new Headers();

export const nextHeaders = {
  headers: async () => current(),
  cookies: async () => ({
    getAll: () =>
      (current().get("cookie") ?? "")
        .split(";")
        .map((pair) => pair.trim())
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf("=");
          return { name: pair.slice(0, at), value: decodeURIComponent(pair.slice(at + 1)) };
        }),
  }),
};

const nodeRequire = createRequire(`${process.cwd()}/package.json`);
const nextHeadersPath = nodeRequire.resolve("next/headers", { paths: [nodeRequire.resolve("next-auth")] });
nodeRequire.cache[nextHeadersPath] = {
  id: nextHeadersPath,
  filename: nextHeadersPath,
  loaded: true,
  exports: nextHeaders,
} as NodeJS.Module;
