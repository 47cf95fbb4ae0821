/**
 * A pure function of a string, remembered for the most recent inputs. Bulk sends repeat one body across
 * thousands of messages, so the delivery worker's per-body steps (the plain-text conversion, the nesting check,
 * each MIME part's encoding) are worth doing once per body rather than once per message. Long inputs are not
 * kept: large bodies are rarely repeated and would make the cache big.
 */
export function rememberRecent<R>(
  compute: (input: string) => R,
  { limit = 64, maxInputLength = 64 * 1024 }: { limit?: number; maxInputLength?: number } = {},
): (input: string) => R {
  const recent = new Map<string, R>();
  return (input) => {
    if (input.length > maxInputLength) return compute(input);
    if (recent.has(input)) return recent.get(input) as R;
    const result = compute(input);
    if (recent.size >= limit) recent.delete(recent.keys().next().value!);
    recent.set(input, result);
    return result;
  };
}
