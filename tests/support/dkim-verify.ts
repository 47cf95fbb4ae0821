// DKIM verification with the maintained `mailauth` package's verifier, its DNS answered from a table here (no
// network): the TXT records a test has "published".
import { dkimVerify } from "mailauth/lib/dkim/verify";

/** The verdict ("pass", "fail", "neutral" …) of each DKIM signature of `raw`, with the signed domain. */
export async function verifyDkim(
  raw: Buffer | string,
  records: Record<string, string>,
): Promise<{ result: string; domain: string; comment?: string }[]> {
  const resolver = async (name: string, type: string) => {
    const record = type === "TXT" ? records[name.toLowerCase()] : undefined;
    if (record === undefined)
      throw Object.assign(new Error(`no ${type} record for ${name}`), { code: "ENOTFOUND" });
    return [[record]];
  };
  const verdict = await dkimVerify(typeof raw === "string" ? Buffer.from(raw) : raw, { resolver });
  return verdict.results.map((r) => ({
    result: r.status.result,
    domain: r.signingDomain ?? "",
    comment: r.status.comment,
  }));
}
