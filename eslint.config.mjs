import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Settings are read once, validated, in lib/env.ts (README "Configuration"); everything else imports `env`.
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings through `env` from lib/env.ts." },
      ],
    },
  },
  {
    // Justified exceptions: the env module itself; tests and benchmarks, which set up the servers they start;
    // tool configs that their tools load before the app (Next, Prisma, Playwright, Vitest); the launcher and the
    // .env loader, which run before lib/env.ts may parse anything and hand the environment to child processes;
    // instrumentation.ts, whose NEXT_RUNTIME is replaced by Next at build time so the Node-only code drops out of
    // the edge bundle. (Browser code may read NODE_ENV, which Next replaces at build time: inline, with the
    // reason, in components/pwa/service-worker-registration.tsx.)
    files: [
      "lib/env.ts",
      "tests/**",
      "next.config.ts",
      "prisma.config.ts",
      "playwright.config.ts",
      "vitest.config.mts",
      "lib/server/start.ts",
      "lib/server/load-dotenv.ts",
      "instrumentation.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "lib/generated/**",
    ".data/**",
    "test-results/**",
    "playwright-report/**",
    "public/sw.js",
  ]),
]);
