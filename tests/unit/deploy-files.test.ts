import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workerNodeArgs } from "@/lib/delivery/worker-command";
import { envNames } from "@/lib/env";
import {
  dockerEnv,
  exists,
  listFiles,
  metricNames,
  npmScripts,
  read,
  readDockerfile,
  readYaml,
  readYamlDocuments,
  root,
  stageChain,
} from "@/tests/support/deploy-files";

// The deployment files are checked statically: no Docker engine or cluster is needed to catch a probe path,
// port, env name, npm script or metric name that drifted away from the app.

const APP_PORT = 3000; // lib/env.ts's PORT default
const SANDBOX_PORT = 2525; // lib/env.ts's SANDBOX_SMTP_PORT default
const APP_IMAGES = ["securevault", "securevault-tools"];

// Variables read by something other than lib/env.ts; each is explained in the README's Deploying section.
const INFRASTRUCTURE_ENV = [
  "HOSTNAME", // the Next.js standalone server's bind address
  "NEXT_TELEMETRY_DISABLED",
  "npm_config_cache",
  "npm_config_update_notifier",
  "POSTGRES_USER",
  "POSTGRES_DB",
  "POSTGRES_PASSWORD_FILE",
  "GF_SECURITY_ADMIN_USER",
  "GF_SECURITY_ADMIN_PASSWORD__FILE",
  "GF_USERS_ALLOW_SIGN_UP",
  "GF_AUTH_ANONYMOUS_ENABLED",
  "WEB_PORT",
  "GRAFANA_PORT",
];
// Settings that must never appear as plain values in compose or a ConfigMap.
const SECRET_ENV = [
  "DATABASE_URL",
  "AUTH_SECRET",
  "ENCRYPTION_KEY",
  "METRICS_TOKEN",
  "VAPID_PRIVATE_KEY",
  "OPENAI_API_KEY",
  "REDIS_URL",
];

const METRICS = {
  histograms: [
    "http_request_duration_seconds",
    "securevault_smtp_send_duration_seconds",
    "securevault_ai_duration_seconds",
  ],
  others: [
    "securevault_outbox_messages",
    "securevault_deliveries_total",
    "securevault_recipient_outcomes_total",
    "securevault_push_total",
    "securevault_ai_requests_total",
    "securevault_ai_tokens_total",
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "nodejs_eventloop_lag_seconds",
  ],
};

type Env = Record<string, string> | string[] | undefined;
type ComposeService = {
  image?: string;
  build?: { target?: string };
  command?: string[];
  environment?: Env;
  ports?: string[];
  secrets?: string[];
  volumes?: string[];
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
};
type Compose = {
  services: Record<string, ComposeService>;
  secrets: Record<string, { file: string }>;
};
type Container = {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
  resources?: { requests?: Record<string, string> };
};
type K8sObject = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: Record<string, unknown> & {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        initContainers?: Container[];
        containers: Container[];
        volumes?: { name: string; emptyDir?: unknown }[];
      };
    };
  };
};

const compose = readYaml<Compose>("docker-compose.yml");
const k8sFiles = listFiles(["deploy/k8s"], [".yaml", ".yml"]);
const k8s = k8sFiles.flatMap((file) => readYamlDocuments<K8sObject>(file).map((o) => ({ ...o, file })));
const dockerfile = readDockerfile();
const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
const packageScripts = Object.keys(packageJson.scripts);
const entrypointSecrets = /for name in ([^;]+);/.exec(read("deploy/docker/entrypoint.sh"))![1]!.split(/\s+/);

const appServices = Object.entries(compose.services).filter(([, s]) =>
  APP_IMAGES.some((image) => s.image?.startsWith(`${image}:`)),
);
const workloads = k8s.filter((o) => o.kind === "Deployment");
const allContainers = workloads.flatMap((d) => [
  ...(d.spec!.template!.spec.initContainers ?? []),
  ...d.spec!.template!.spec.containers,
]);
const webDeployment = workloads.find((d) => d.metadata.name === "securevault-web")!;
const webContainer = webDeployment.spec!.template!.spec.containers.find((c) => c.name === "web")!;

/** An argv that runs a binary from node_modules/.bin, as the package.json script that says the same. */
function workerCommand(argv: string[]): string {
  return argv.join(" ").replace(/^node_modules\/\.bin\//, "");
}

function envKeys(env: Env): string[] {
  if (!env) return [];
  return Array.isArray(env) ? env.map((e) => e.split("=")[0]!) : Object.keys(env);
}

function envValues(env: Env): Record<string, string> {
  if (!env || Array.isArray(env)) return Object.fromEntries((env ?? []).map((e) => e.split("=", 2)));
  return env;
}

/** Why a variable name is not accounted for, or null when lib/env.ts or the infrastructure reads it. */
function unknownEnv(name: string, where: string): string | null {
  if ((envNames as string[]).includes(name) || INFRASTRUCTURE_ENV.includes(name)) return null;
  const base = name.replace(/_FILE$/, "");
  if (name.endsWith("_FILE") && entrypointSecrets.includes(base) && (envNames as string[]).includes(base))
    return null;
  return `${name} (${where}) is neither read by lib/env.ts nor a documented infrastructure variable`;
}

describe("deployment files parse", () => {
  const yamlFiles = listFiles(["docker-compose.yml", "deploy", ".github"], [".yml", ".yaml"]);
  const jsonFiles = listFiles(["deploy", ".github"], [".json"]);

  it("finds the files it checks", () => {
    expect(yamlFiles).toEqual(
      expect.arrayContaining(["docker-compose.yml", ".github/workflows/ci.yml", "deploy/k8s/web.yaml"]),
    );
    expect(jsonFiles).toContain("deploy/grafana/dashboards/securevault.json");
  });

  it.each(yamlFiles)("%s is valid YAML", (file) => {
    const docs = readYamlDocuments(file);
    expect(docs.length).toBeGreaterThan(0);
    docs.forEach((doc) => expect(doc).toBeTypeOf("object"));
  });

  it.each(jsonFiles)("%s is valid JSON", (file) => {
    expect(() => JSON.parse(read(file))).not.toThrow();
  });
});

describe("Dockerfile", () => {
  const stages = dockerfile.filter((i) => i.op === "FROM").map((i) => i.stage);

  it("builds in stages and ends with the web server as the default target", () => {
    expect(stages).toEqual(expect.arrayContaining(["deps", "build", "tools", "web"]));
    expect(stages.at(-1)).toBe("web");
    expect(dockerfile.find((i) => i.op === "RUN" && /npm ci\b/.test(i.args))?.stage).toBe("deps");
  });

  it.each(["web", "tools"])("the %s target runs as a numeric non-root user", (target) => {
    const users = stageChain(dockerfile, target).filter((i) => i.op === "USER");
    const user = users.at(-1)?.args ?? "root";
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(":")[0])).toBeGreaterThan(0);
    const k8sUsers = workloads.map((d) => d.spec!.template!.spec.securityContext?.runAsUser);
    expect(new Set(k8sUsers)).toEqual(new Set([Number(user.split(":")[0])]));
  });

  it("builds Next.js standalone output through the switch next.config.ts reads", () => {
    const build = dockerfile.find((i) => i.op === "RUN" && /npm run build/.test(i.args));
    const switchVar = /\b(\w+)=standalone\b/.exec(build?.args ?? "")?.[1];
    expect(switchVar).toBeDefined();
    expect(read("next.config.ts")).toContain(`process.env.${switchVar} === "standalone"`);
    const web = stageChain(dockerfile, "web");
    const copies = web.filter((i) => i.op === "COPY").map((i) => i.args);
    for (const dir of ["/app/.next/standalone", "/app/.next/static", "/app/public"]) {
      expect(copies.some((c) => c.includes(dir))).toBe(true);
    }
    expect(web.find((i) => i.op === "CMD")?.args).toContain("server.js");
  });

  it("loads the peer-address hook before server.js, so limits see the socket's address", () => {
    const web = stageChain(dockerfile, "web");
    const hook = "lib/server/peer-address-hook.mjs";
    expect(web.some((i) => i.op === "COPY" && i.args.includes(`/app/${hook}`))).toBe(true);
    expect(web.find((i) => i.op === "CMD")?.args).toMatch(
      new RegExp(`"--import", "\\./${hook.replace(/\./g, "\\.")}", "server\\.js"`),
    );
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dev).toContain(`--import ./${hook}`);
    expect(read("lib/server/start.ts")).toContain('"--import", peerAddressHook');
  });

  it("serves the app's port with a HEALTHCHECK on /api/health that needs no curl", () => {
    const web = stageChain(dockerfile, "web");
    expect(web.filter((i) => i.op === "EXPOSE").map((i) => i.args)).toEqual([String(APP_PORT)]);
    expect(dockerEnv(web).PORT).toBe(String(APP_PORT));
    const healthcheck = web.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    expect(healthcheck).toContain("/api/health");
    expect(healthcheck).toMatch(/CMD \["node"/);
  });

  it("keeps DATA_DIR on a volume", () => {
    const runtime = stageChain(dockerfile, "web");
    const dataDir = dockerEnv(runtime).DATA_DIR;
    expect(runtime.find((i) => i.op === "VOLUME")?.args).toContain(`"${dataDir}"`);
  });

  it("runs package.json's worker script by default, through node itself so SIGTERM reaches it", () => {
    const cmd = stageChain(dockerfile, "tools").findLast((i) => i.op === "CMD")!.args;
    expect(workerCommand(JSON.parse(cmd) as string[])).toBe(packageJson.scripts.worker);
    // The same command the tests and benchmarks start worker processes with, heap size included.
    expect(packageJson.scripts.worker).toBe(["node", ...workerNodeArgs].join(" "));
  });

  it("sets only environment variables something reads", () => {
    const problems = Object.keys(dockerEnv(dockerfile)).map((n) => unknownEnv(n, "Dockerfile"));
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it("leaves secrets, dependencies and builds out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    expect(ignored).toEqual(
      expect.arrayContaining(["node_modules", ".next", ".data", ".env", "deploy/compose"]),
    );
  });
});

describe("docker-compose.yml", () => {
  it("runs web without delivery, a separate worker, and migrations before both", () => {
    const { web, worker, migrate } = compose.services;
    expect(envValues(web!.environment).DELIVERY_WORKER_ENABLED).toBe("false");
    expect(worker!.command).toBeUndefined(); // the tools image's CMD: the worker script
    expect(worker!.image).toBe(compose.services.migrate!.image);
    expect(npmScripts(migrate!.command!)).toEqual(["db:migrate"]);
    for (const service of [web!, worker!]) {
      expect(service.depends_on?.migrate?.condition).toBe("service_completed_successfully");
    }
    for (const [, service] of appServices) {
      for (const script of npmScripts(service.command ?? [])) expect(packageScripts).toContain(script);
    }
  });

  it("publishes web on the app's port and builds each app service from a Dockerfile target", () => {
    const { web } = compose.services;
    expect(envValues(web!.environment).PORT).toBe(String(APP_PORT));
    expect(web!.ports!.some((p) => p.endsWith(`:${APP_PORT}`))).toBe(true);
    const targets = new Set(readDockerfile().map((i) => i.stage));
    for (const [name, service] of appServices) {
      expect(targets, name).toContain(service.build?.target);
    }
  });

  it("runs PostgreSQL with a healthcheck and a volume", () => {
    const { postgres } = compose.services;
    expect(postgres!.healthcheck).toBeDefined();
    expect(postgres!.volumes!.some((v) => v.endsWith(":/var/lib/postgresql/data"))).toBe(true);
  });

  it("uses only variables lib/env.ts or the infrastructure reads", () => {
    const problems: (string | null)[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      problems.push(...envKeys(service.environment).map((n) => unknownEnv(n, `compose ${name}`)));
    }
    for (const [, name] of read("docker-compose.yml").matchAll(/\$\{(\w+)/g)) {
      problems.push(unknownEnv(name!, "compose interpolation"));
    }
    expect(problems.filter(Boolean)).toEqual([]);
  });

  it("passes secrets as files, never as values", () => {
    for (const [name, service] of appServices) {
      const keys = envKeys(service.environment);
      expect(
        keys.filter((k) => SECRET_ENV.includes(k) && k !== "REDIS_URL"),
        name,
      ).toEqual([]);
      for (const key of keys.filter((k) => k.endsWith("_FILE"))) {
        const secret = path.basename(envValues(service.environment)[key]!);
        expect(service.secrets, `${name}: ${key}`).toContain(secret);
      }
    }
    for (const { file } of Object.values(compose.secrets)) {
      expect(file.startsWith("deploy/compose/secrets/")).toBe(true);
    }
    expect(read(".gitignore")).toContain("/deploy/compose/secrets/");
  });

  it("has make-secrets.mjs write every secret compose mounts, in the formats lib/env.ts accepts", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-secrets-"));
    execFileSync(process.execPath, [path.join(root, "deploy/compose/make-secrets.mjs"), dir]);
    const secret = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(compose.secrets).sort());
    expect(secret("auth_secret").length).toBeGreaterThanOrEqual(32);
    expect(Buffer.from(secret("encryption_key"), "base64")).toHaveLength(32);
    const postgres = envValues(compose.services.postgres!.environment);
    const url = new URL(secret("database_url"));
    expect([url.protocol, url.username, url.hostname, url.port, url.pathname]).toEqual([
      "postgres:",
      postgres.POSTGRES_USER,
      "postgres",
      "5432",
      `/${postgres.POSTGRES_DB}`,
    ]);
    expect(url.password).toBe(secret("postgres_password"));
    // Running it again keeps what is there: rotating ENCRYPTION_KEY would orphan every stored SMTP password.
    const before = secret("encryption_key");
    execFileSync(process.execPath, [path.join(root, "deploy/compose/make-secrets.mjs"), dir]);
    expect(secret("encryption_key")).toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has the entrypoint expand only variables lib/env.ts reads", () => {
    expect(entrypointSecrets.filter((n) => !(envNames as string[]).includes(n))).toEqual([]);
  });
});

describe("Prometheus and Grafana", () => {
  const prometheus = readYaml<{
    scrape_configs: {
      metrics_path: string;
      authorization?: { type: string; credentials_file?: string };
      static_configs: { targets: string[] }[];
    }[];
  }>("deploy/compose/prometheus.yml");

  it("scrapes web's /api/metrics with the bearer token web checks", () => {
    const [job] = prometheus.scrape_configs;
    expect(job!.metrics_path).toBe("/api/metrics");
    expect(job!.authorization?.type).toBe("Bearer");
    expect(job!.static_configs.flatMap((s) => s.targets)).toEqual([`web:${APP_PORT}`]);
    const tokenSecret = path.basename(job!.authorization!.credentials_file!);
    expect(compose.services.prometheus!.secrets).toContain(tokenSecret);
    expect(envValues(compose.services.web!.environment).METRICS_TOKEN_FILE).toBe(
      `/run/secrets/${tokenSecret}`,
    );
  });

  const dashboard = JSON.parse(read("deploy/grafana/dashboards/securevault.json")) as {
    panels: { type: string; title: string; targets?: { expr: string; datasource: { uid: string } }[] }[];
  };
  const targets = dashboard.panels.flatMap((p) => p.targets ?? []);

  it("queries only metrics the app exports", () => {
    const allowed = new Set([
      ...METRICS.others,
      ...METRICS.histograms.flatMap((h) => ["_bucket", "_sum", "_count"].map((s) => h + s)),
    ]);
    const used = targets.flatMap((t) => metricNames(t.expr));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((m) => !allowed.has(m))).toEqual([]);
  });

  it("charts every metric the app exports", () => {
    const used = targets
      .flatMap((t) => metricNames(t.expr))
      .map((m) => m.replace(/_(bucket|sum|count)$/, ""));
    expect(new Set(used)).toEqual(new Set([...METRICS.histograms, ...METRICS.others]));
  });

  it("reads from the provisioned datasource", () => {
    const provisioned = readYaml<{ datasources: { uid: string }[] }>(
      "deploy/grafana/provisioning/datasources/prometheus.yml",
    );
    const uids = new Set(targets.map((t) => t.datasource.uid));
    expect([...uids]).toEqual([provisioned.datasources[0]!.uid]);
  });

  it.each([
    [
      'rate(http_request_duration_seconds_count{status=~"5.."}[$__rate_interval])',
      ["http_request_duration_seconds_count"],
    ],
    ["histogram_quantile(0.95, sum by (le, route) (rate(x_bucket[5m])))", ["x_bucket"]],
    ["max by (job, instance) (nodejs_eventloop_lag_seconds) > 0.1", ["nodejs_eventloop_lag_seconds"]],
  ])("finds the metric names in %s", (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
});

describe("Kubernetes manifests", () => {
  it("runs web with liveness on /api/health and readiness on /api/ready, both routes existing", () => {
    expect(webContainer.livenessProbe?.httpGet?.path).toBe("/api/health");
    expect(webContainer.readinessProbe?.httpGet?.path).toBe("/api/ready");
    expect(webContainer.ports).toContainEqual({ name: "http", containerPort: APP_PORT });
    for (const route of ["/api/health", "/api/ready", "/api/metrics"]) {
      const file = `app${route}/route.ts`;
      expect(exists(file), `${file} must exist: the probes and Prometheus call ${route}`).toBe(true);
    }
  });

  it("migrates in an initContainer of every workload, with an npm script that exists", () => {
    for (const deployment of workloads) {
      const init = deployment.spec!.template!.spec.initContainers ?? [];
      expect(init.map((c) => npmScripts(c.args ?? [])).flat(), deployment.metadata.name).toEqual([
        "db:migrate",
      ]);
    }
    for (const container of allContainers) {
      for (const script of npmScripts(container.args ?? [])) expect(packageScripts).toContain(script);
    }
  });

  it("runs the worker from the tools image with no Service in front of it", () => {
    const worker = workloads.find((d) => d.metadata.name === "securevault-worker")!;
    const [container] = worker.spec!.template!.spec.containers;
    expect(container!.image).toBe("securevault-tools");
    expect(workerCommand(container!.args!)).toBe(packageJson.scripts.worker);
    const services = k8s.filter((o) => o.kind === "Service");
    expect(services.map((s) => s.spec!.selector!["app.kubernetes.io/component"])).toEqual(["web"]);
  });

  it("runs every container as non-root with a read-only root filesystem and a writable /tmp", () => {
    for (const deployment of workloads) {
      expect(deployment.spec!.template!.spec.securityContext?.runAsNonRoot).toBe(true);
    }
    for (const container of allContainers) {
      expect(container.securityContext?.readOnlyRootFilesystem, container.name).toBe(true);
      expect(container.securityContext?.allowPrivilegeEscalation, container.name).toBe(false);
      expect(
        container.volumeMounts?.map((m) => m.mountPath),
        container.name,
      ).toContain("/tmp");
      expect(container.resources?.requests?.cpu, container.name).toBeDefined();
    }
  });

  it("wires the Service, Ingress and HPA to the web Deployment", () => {
    const service = k8s.find((o) => o.kind === "Service")!;
    const podLabels = webDeployment.spec!.template!.metadata.labels;
    for (const [key, value] of Object.entries(service.spec!.selector!)) expect(podLabels[key]).toBe(value);
    const ingress = k8s.find((o) => o.kind === "Ingress")!;
    expect(JSON.stringify(ingress.spec)).toContain(`"name":"${service.metadata.name}"`);
    expect(ingress.spec!.tls).toBeDefined();
    const hpa = k8s.find((o) => o.kind === "HorizontalPodAutoscaler")!;
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: "Deployment", name: webDeployment.metadata.name });
  });

  it("uses only variables lib/env.ts or the infrastructure reads, and keeps secrets out of the ConfigMap", () => {
    const configMap = k8s.find((o) => o.kind === "ConfigMap")!;
    const secret = k8s.find((o) => o.kind === "Secret")!;
    expect(configMap.data!.PORT).toBe(String(APP_PORT));
    expect(configMap.data!.SANDBOX_SMTP_PORT).toBe(String(SANDBOX_PORT));
    expect(Object.keys(configMap.data!).filter((k) => SECRET_ENV.includes(k))).toEqual([]);
    const names = [
      ...Object.keys(configMap.data!).map((n) => [n, "ConfigMap"]),
      ...Object.keys(secret.stringData!).map((n) => [n, "Secret template"]),
      ...allContainers.flatMap((c) => (c.env ?? []).map((e) => [e.name, `container ${c.name}`])),
    ];
    expect(names.map(([n, where]) => unknownEnv(n!, where!)).filter(Boolean)).toEqual([]);
  });

  it("leaves the Secret template's placeholders out of kustomization.yaml", () => {
    const secretFile = k8s.find((o) => o.kind === "Secret")!.file;
    const { resources } = readYaml<{ resources: string[] }>("deploy/k8s/kustomization.yaml");
    expect(resources).not.toContain(path.basename(secretFile));
    for (const file of resources) expect(exists(`deploy/k8s/${file}`), file).toBe(true);
  });
});

describe("CI workflow", () => {
  type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
  const workflow = readYaml<{
    jobs: Record<string, { steps: Step[]; services?: Record<string, { image: string }>; env?: Env }>;
  }>(".github/workflows/ci.yml");
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it("runs only npm scripts that exist", () => {
    const scripts = steps.flatMap((s) => npmScripts(s.run ?? ""));
    expect(scripts).toEqual(expect.arrayContaining(["lint", "typecheck", "format:check", "test"]));
    expect(scripts.filter((s) => !packageScripts.includes(s))).toEqual([]);
  });

  it("tests on Node 20 with PostgreSQL 15, Redis and a Chrome that playwright.config.ts is told about", () => {
    const { test } = workflow.jobs;
    expect(test!.services?.postgres?.image).toBe("postgres:15");
    expect(test!.services?.redis?.image).toMatch(/^redis:/);
    expect(envKeys(test!.env)).toContain("CHROMIUM_PATH");
    expect(read("playwright.config.ts")).toContain("process.env.CHROMIUM_PATH");
    for (const setup of steps.filter((s) => s.uses?.startsWith("actions/setup-node"))) {
      expect(setup.with).toMatchObject({ "node-version": 20, cache: "npm" });
    }
  });
});

describe("README", () => {
  const readme = read("README.md");

  it("keeps the two set-up commands and documents deploying, with every infrastructure variable", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
    const deploying = readme.slice(readme.indexOf("## Deploying"));
    expect(readme.includes("## Deploying"), 'README needs a "## Deploying" section').toBe(true);
    expect(INFRASTRUCTURE_ENV.filter((name) => !deploying.includes(name))).toEqual([]);
  });
});
