// How CI judges `npm audit` (lib/build/audit-cli.ts): high and critical advisories fail unless accepted in
// .github/audit-exceptions.json, each with the reason it does not reach SecureVault.

type Via = { title?: string; url?: string; severity?: string; name?: string; range?: string };
export type AuditReport = { vulnerabilities?: Record<string, { via: (Via | string)[] }> };
/** Advisory id (GHSA-…) → why it is accepted. */
export type AuditExceptions = Record<string, string>;

const BLOCKING = new Set(["high", "critical"]);

export type AuditVerdict = { blocking: string[]; accepted: string[]; stale: string[]; unexplained: string[] };

/** Judges an `npm audit --json` report against the accepted exceptions. */
export function judgeAudit(report: AuditReport, exceptions: AuditExceptions): AuditVerdict {
  const found = new Map<string, string>();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via) {
      if (typeof via === "string" || !BLOCKING.has(via.severity ?? "")) continue;
      const id = /GHSA(-[0-9a-z]{4}){3}/i.exec(via.url ?? "")?.[0] ?? via.url ?? via.title ?? "unknown";
      found.set(
        id,
        `${id} (${via.severity}) ${via.name ?? "?"} ${via.range ?? ""}: ${via.title ?? ""}`.trim(),
      );
    }
  }
  const ids = [...found.keys()].sort();
  return {
    blocking: ids.filter((id) => !(id in exceptions)).map((id) => found.get(id)!),
    accepted: ids.filter((id) => id in exceptions),
    stale: Object.keys(exceptions).filter((id) => !found.has(id)),
    unexplained: Object.entries(exceptions)
      .filter(([, reason]) => reason.trim().length < 20)
      .map(([id]) => id),
  };
}
