import { describe, expect, it } from "vitest";
import { linkFragmentValue } from "@/lib/auth/link-fragment";

const token = "A".repeat(43);

describe("linkFragmentValue", () => {
  it.each([
    [`#token=${token}`, "token", token],
    [`#invite=${token}`, "invite", token],
    [`#invite=${token}`, "token", null],
    ["#token=short", "token", null],
    [`#token=${token}<script>`, "token", null],
    ["", "token", null],
    [`#x=1&token=${token}`, "token", token],
  ])("%s → %s", (hash, name, expected) => {
    expect(linkFragmentValue(hash, name)).toBe(expected);
  });
});
