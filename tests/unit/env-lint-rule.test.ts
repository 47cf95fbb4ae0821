import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The ESLint rule that keeps process.env in lib/env.ts (eslint.config.mjs), checked on snippets as if they were
// files in the project.
const eslint = new ESLint({ cwd: process.cwd() });

async function envReadFlagged(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.some((m) => m.ruleId === "no-restricted-properties");
}

describe("process.env outside lib/env.ts", () => {
  it.each([
    ["lib/messages/example.ts", "export const port = process.env.PORT;\n"],
    ["app/api/example/route.ts", "export const url = process.env.APP_URL ?? '';\n"],
    ["components/example.tsx", "export const mode = process.env.NODE_ENV;\n"],
  ])(
    "is refused in %s",
    async (file, code) => {
      expect(await envReadFlagged(file, code)).toBe(true);
    },
    60_000,
  );

  it.each([
    ["lib/env.ts", "export const raw = process.env.PORT;\n"],
    ["tests/integration/example.test.ts", "export const raw = process.env.PORT;\n"],
    ["next.config.ts", "export const raw = process.env.NEXT_OUTPUT;\n"],
  ])(
    "is allowed in %s",
    async (file, code) => {
      expect(await envReadFlagged(file, code)).toBe(false);
    },
    60_000,
  );
});
