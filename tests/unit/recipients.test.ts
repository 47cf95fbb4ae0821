import { describe, expect, it } from "vitest";
import { formatRecipient, parseRecipients, takeCompleteRecipients } from "@/lib/compose/recipients";

describe("parseRecipients", () => {
  it.each([
    ["alice@example.com", [{ address: "alice@example.com", valid: true }]],
    ["Alice <alice@example.com>", [{ address: "alice@example.com", name: "Alice", valid: true }]],
    ['"Bob, Jr" <bob@example.com>', [{ address: "bob@example.com", name: "Bob, Jr", valid: true }]],
    [
      "a@example.com, b@example.org; c@example.net",
      [{ address: "a@example.com" }, { address: "b@example.org" }, { address: "c@example.net" }],
    ],
    ["not-an-address", [{ address: "not-an-address", valid: false }]],
    ["missing@tld", [{ address: "missing@tld", valid: false }]],
    [" , ; ", []],
  ])("%j", (input, expected) => {
    expect(parseRecipients(input)).toMatchObject(expected);
  });

  it("formats a named recipient the way it is typed", () => {
    expect(formatRecipient({ address: "a@example.com", name: "A" })).toBe("A <a@example.com>");
    expect(formatRecipient({ address: "a@example.com" })).toBe("a@example.com");
  });
});

describe("takeCompleteRecipients", () => {
  it.each([
    ["alice@example.com", [], "alice@example.com"],
    ["alice@example.com, bo", ["alice@example.com"], "bo"],
    ['"Bob, Jr', [], '"Bob, Jr'],
    ['"Bob, Jr" <bob@example.com>;', ["bob@example.com"], ""],
  ])("%j", (input, complete, rest) => {
    const result = takeCompleteRecipients(input);
    expect(result.complete.map((r) => r.address)).toEqual(complete);
    expect(result.rest).toBe(rest);
  });
});
