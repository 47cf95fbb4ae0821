import { describe, expect, it } from "vitest";
import { POST as check } from "@/app/api/ai/check/route";
import { POST as draft } from "@/app/api/ai/draft/route";
import { GET as status } from "@/app/api/ai/status/route";
import { callRoute, signUpUser } from "@/tests/support/api";

describe("without OPENAI_API_KEY", () => {
  it("AI routes say how to enable AI, and the pre-send check still runs its local checks", async () => {
    const user = await signUpUser();
    const res = await callRoute(draft, { method: "POST", user, json: { instruction: "Hello" } });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({
      code: "not_configured",
      message: expect.stringMatching(/OPENAI_API_KEY/),
    });

    const checked = await callRoute(check, {
      method: "POST",
      user,
      json: { subject: "Hi", body: "See the attached file, [Name].", attachments: 0 },
    });
    expect(await checked.json()).toEqual({
      ai: false,
      findings: [
        { kind: "missing_attachment", message: expect.any(String) },
        { kind: "placeholder", message: expect.stringContaining("[Name]") },
      ],
    });
    expect((await (await callRoute(status, { user })).json()).configured).toBe(false);
  });
});
