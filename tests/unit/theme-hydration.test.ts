// @vitest-environment happy-dom
// The app's providers must not change any context while a page hydrates: React would then render again, on the
// client, a part of the screen still streaming behind a Suspense boundary, beside the server's copy (seen as two
// of every field on a slow page). A consumer of the theme below them renders once while hydrating and never again.
import { act, createElement, type ReactNode } from "react";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { useColorScheme, useTheme } from "@mui/material/styles";
import { afterEach, expect, it, vi } from "vitest";

// Next's style-cache bridge needs the App Router around it, and the service worker is not the subject here.
vi.mock("@mui/material-nextjs/v16-appRouter", () => ({
  AppRouterCacheProvider: ({ children }: { children: ReactNode }) => children,
}));
vi.mock("@/components/pwa/service-worker-registration", () => ({ ServiceWorkerRegistration: () => null }));

const { Providers } = await import("@/components/layout/providers");

let renders = 0;
function ThemeConsumer() {
  useTheme();
  useColorScheme();
  renders++;
  return createElement("p", null, "screen");
}

afterEach(() => {
  document.body.innerHTML = "";
  localStorage.clear();
});

async function hydrateScreen() {
  const tree = createElement(Providers, null, createElement(ThemeConsumer));
  const html = renderToString(tree);
  const container = document.createElement("div");
  container.innerHTML = html;
  document.body.append(container);
  renders = 0;
  const errors: unknown[] = [];
  await act(async () => {
    hydrateRoot(container, tree, { onRecoverableError: (e) => errors.push(e) });
  });
  // Effects and anything they schedule have run.
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  return { errors, text: container.textContent };
}

it("a theme consumer renders once while hydrating, and the theme changes nothing after", async () => {
  const { errors, text } = await hydrateScreen();
  expect(errors).toEqual([]);
  expect(text).toContain("screen");
  expect(renders).toBe(1);
});

it("the same when the user chose the dark theme on this device", async () => {
  localStorage.setItem("mui-mode", "dark");
  const { errors } = await hydrateScreen();
  expect(errors).toEqual([]);
  expect(renders).toBe(1);
});
