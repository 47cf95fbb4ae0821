// Readers for the deployment files (Dockerfile, compose, Kubernetes, Prometheus, Grafana, CI), shared by
// tests/unit/deploy-files.test.ts. Paths are relative to the repository root.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function read(file: string): string {
  return fs.readFileSync(path.join(root, file), "utf8");
}

export function exists(file: string): boolean {
  return fs.existsSync(path.join(root, file));
}

/** One YAML document; `<<` merge keys are resolved as Compose resolves them. */
export function readYaml<T = Record<string, unknown>>(file: string): T {
  return parse(read(file), { merge: true }) as T;
}

/** Every document of a multi-document YAML file (Kubernetes manifests). */
export function readYamlDocuments<T = Record<string, unknown>>(file: string): T[] {
  return parseAllDocuments(read(file), { merge: true }).map((doc) => {
    if (doc.errors.length) throw doc.errors[0];
    return doc.toJS() as T;
  });
}

/** Deployment files by extension, walked from the given roots (directories or files). */
export function listFiles(roots: string[], extensions: string[]): string[] {
  const found: string[] = [];
  const visit = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full).sort()) visit(path.join(rel, entry));
    } else if (extensions.some((ext) => rel.endsWith(ext))) {
      found.push(rel);
    }
  };
  roots.forEach(visit);
  return found;
}

export type DockerInstruction = { stage: string; op: string; args: string };

/** Dockerfile instructions with their stage name; continuation lines joined, comments dropped. */
export function readDockerfile(file = "Dockerfile"): DockerInstruction[] {
  const lines = read(file)
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n");
  const instructions: DockerInstruction[] = [];
  let stage = "";
  for (const line of lines) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, op, args] = match as unknown as [string, string, string];
    if (op === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? "";
    instructions.push({ stage, op, args: args.trim() });
  }
  return instructions;
}

/** `ENV a=1 b=2` → { a: "1", b: "2" } across the given instructions. */
export function dockerEnv(instructions: DockerInstruction[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const { op, args } of instructions) {
    if (op !== "ENV") continue;
    for (const pair of args.split(/\s+/)) {
      const [name, ...value] = pair.split("=");
      vars[name!] = value.join("=");
    }
  }
  return vars;
}

/** The stages a target is built from, in order (`FROM build AS web` inherits build's ENV and USER). */
export function stageChain(instructions: DockerInstruction[], target: string): DockerInstruction[] {
  const from = instructions.find((i) => i.op === "FROM" && i.stage === target);
  if (!from) return [];
  const parent = from.args.split(/\s+/)[0]!;
  return [...stageChain(instructions, parent), ...instructions.filter((i) => i.stage === target)];
}

/**
 * Metric names a PromQL expression reads: identifiers left once label matchers, grouping clauses, range
 * selectors, strings, numbers, Grafana variables and function calls are taken out.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"[^"]*"/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\$\{?\w+\}?/g, " ")
    .replace(/\b[a-z_]+\s*\(/g, " ("); // function calls and aggregations
  const keywords = new Set(["and", "or", "unless", "offset", "bool", "inf", "nan"]);
  return (stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter((t) => !keywords.has(t));
}

/** `npm run x` / `npm test` / `npm start` in a command (string or argv) → the script names it runs. */
export function npmScripts(command: string | string[]): string[] {
  const text = Array.isArray(command) ? command.join(" ") : command;
  const scripts: string[] = [];
  for (const match of text.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(test|start)\b)/g)) {
    scripts.push((match[1] ?? match[2])!);
  }
  return scripts;
}
