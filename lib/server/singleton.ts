// One instance per process of a module-level value (the database client, caches, the metrics registry …).
// Next.js may load one module more than once in a process — route handlers, pages and instrumentation are
// bundled apart, and test runners re-import modules — so a plain module-level `const` would give each copy its
// own instance. The value lives on globalThis under a registered symbol instead, made on first use.

/** The process's one value for `name`, made by `create` the first time any copy of any module asks for it. */
export function processSingleton<T>(name: string, create: () => T): T {
  const slots = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for(`securevault.${name}`);
  if (!(key in slots)) slots[key] = create();
  return slots[key] as T;
}
