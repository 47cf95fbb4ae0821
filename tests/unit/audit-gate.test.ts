// CI's dependency audit (issue 21, item 13): high and critical advisories fail unless accepted with a reason.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { judgeAudit, type AuditReport } from "@/lib/build/audit-gate";

const advisory = (id: string, severity: string, name = "pkg") => ({
  source: 1,
  name,
  title: `${name} problem`,
  url: `https://github.com/advisories/${id}`,
  severity,
  range: "<2.0.0",
});

const report: AuditReport = {
  vulnerabilities: {
    a: { via: [advisory("GHSA-aaaa-bbbb-cccc", "high", "a")] },
    b: { via: [advisory("GHSA-dddd-eeee-ffff", "critical", "b"), "a"] },
    c: { via: [advisory("GHSA-gggg-hhhh-jjjj", "moderate", "c")] },
  },
};

describe("the audit gate", () => {
  it("blocks high and critical advisories, never moderate ones", () => {
    expect(judgeAudit(report, {}).blocking).toEqual([
      expect.stringMatching(/^GHSA-aaaa-bbbb-cccc \(high\) a/),
      expect.stringMatching(/^GHSA-dddd-eeee-ffff \(critical\) b/),
    ]);
  });

  it("accepts a listed advisory, and names exceptions that lost their advisory or never had a reason", () => {
    const verdict = judgeAudit(report, {
      "GHSA-aaaa-bbbb-cccc": "Only the test SMTP server uses a, and never parses untrusted input with it.",
      "GHSA-dddd-eeee-ffff": "later",
      "GHSA-zzzz-zzzz-zzzz": "An advisory fixed since: this entry should go.",
    });
    expect(verdict.blocking).toEqual([]);
    expect(verdict.accepted).toEqual(["GHSA-aaaa-bbbb-cccc", "GHSA-dddd-eeee-ffff"]);
    expect(verdict.unexplained).toEqual(["GHSA-dddd-eeee-ffff"]);
    expect(verdict.stale).toEqual(["GHSA-zzzz-zzzz-zzzz"]);
  });

  it("runs in the GitHub Actions workflow, with every accepted exception explained", () => {
    const workflow = parse(fs.readFileSync(".github/workflows/ci.yml", "utf8")) as {
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
    expect(runs).toContain("npx tsx lib/build/audit-cli.ts");
    const { exceptions } = JSON.parse(fs.readFileSync(".github/audit-exceptions.json", "utf8")) as {
      exceptions: Record<string, string>;
    };
    expect(judgeAudit({}, exceptions).unexplained).toEqual([]);
  });
});

describe("nodemailer", () => {
  it("is one copy, the project's pin: no dependency brings its own", () => {
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    const copies = Object.keys(lock.packages).filter((p) => p.endsWith("node_modules/nodemailer"));
    expect(copies).toEqual(["node_modules/nodemailer"]);
  });
});
