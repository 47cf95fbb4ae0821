import { describe, expect, it } from "vitest";
import { statementChunks } from "@/lib/campaigns/feeder";

describe("statementChunks", () => {
  it.each([
    [0, []],
    [1, [1]],
    [5, [4, 1]],
    [256, [256]],
    [500, [256, 128, 64, 32, 16, 4]],
    [1000, [256, 256, 256, 128, 64, 32, 8]],
  ])("%i items → runs of %j, in order, none lost", (count, sizes) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const chunks = statementChunks(items);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(items);
  });
});
