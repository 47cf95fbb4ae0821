// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be a comment,
// a HELP/TYPE line, or a sample; samples must belong to a declared metric family.
export type Sample = { name: string; labels: Record<string, string>; value: number };

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const labelPair = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/;
const suffixes = ["_bucket", "_sum", "_count", "_total", "_created", ""];

export function parsePrometheusText(text: string): Sample[] {
  const families = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const typeMatch = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(
      line,
    );
    if (typeMatch) {
      families.set(typeMatch[1]!, typeMatch[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line) || line.startsWith("# ")) continue;
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`line ${i + 1} is not valid Prometheus text: ${line}`);
    const [, name, , labelText = ""] = m;
    const family = suffixes
      .map((s) => (s && name!.endsWith(s) ? name!.slice(0, -s.length) : name!))
      .find((f) => families.has(f));
    if (!family) throw new Error(`line ${i + 1}: sample ${name} has no # TYPE line`);
    const value = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    if (Number.isNaN(value) && m[4] !== "NaN") throw new Error(`line ${i + 1}: bad value ${m[4]}`);
    samples.push({ name: name!, labels: parseLabels(labelText, i + 1), value });
  }
  return samples;
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.trim() !== "") {
    const m = labelPair.exec(rest);
    if (!m) throw new Error(`line ${line}: bad labels {${text}}`);
    labels[m[1]!] = m[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** The value of one sample, 0 when it is not there (a counter not yet incremented). */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}
