// CI's dependency audit (.github/workflows/ci.yml): runs `npm audit --audit-level=high --json` and fails on any
// high or critical advisory not accepted in .github/audit-exceptions.json (npm audit itself cannot accept one).
// The registry used in development may have no audit service (it answers 405); GitHub's runners reach npm's.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { judgeAudit, type AuditExceptions, type AuditReport } from "@/lib/build/audit-gate";

function main() {
  const exceptionsFile = path.join(process.cwd(), ".github", "audit-exceptions.json");
  const { exceptions } = JSON.parse(fs.readFileSync(exceptionsFile, "utf8")) as {
    exceptions: AuditExceptions;
  };
  const audit = spawnSync("npm", ["audit", "--audit-level=high", "--json"], { encoding: "utf8" });
  let report: AuditReport | null = null;
  try {
    report = JSON.parse(audit.stdout) as AuditReport;
  } catch {
    // reported below
  }
  // A failed audit (no registry service, no network) answers JSON too, without vulnerabilities: never a pass.
  if (!report?.vulnerabilities) {
    console.error(`npm audit gave no report (exit ${audit.status}):\n${audit.stdout}${audit.stderr}`);
    process.exit(1);
  }
  const verdict = judgeAudit(report, exceptions);
  for (const id of verdict.accepted) console.log(`accepted ${id}: ${exceptions[id]}`);
  for (const id of verdict.stale) console.log(`no longer reported, remove from the exceptions: ${id}`);
  for (const id of verdict.unexplained) console.error(`exception without a real reason: ${id}`);
  for (const line of verdict.blocking) console.error(`not accepted: ${line}`);
  if (verdict.blocking.length || verdict.unexplained.length) process.exit(1);
  console.log("npm audit: no high or critical advisory outside the accepted exceptions");
}

main();
