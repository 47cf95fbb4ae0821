import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { processSingleton } from "@/lib/server/singleton";

// INTERNALS of @prisma/schema-engine-wasm (checked against 7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3;
// tests/unit/db-internals.test.ts): the package's main entry imports its .wasm file in a way only bundlers
// understand, so under Node we load its wasm-bindgen JS glue (the `schema_engine_bg` export), instantiate the
// module ourselves, and hand the instance to the glue through `__wbg_set_wasm` and `__wbindgen_start`. The
// engine package must carry the same engine hash as the installed prisma (both are pinned exactly).
export const CHECKED_AGAINST = {
  package: "@prisma/schema-engine-wasm",
  version: "7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3",
} as const;

export type EngineModule = typeof import("@prisma/schema-engine-wasm");

// The glue is one module for the whole process, bound to one WASM instance: every copy of this file (test
// runners load it more than once) must share the instance.
const shared = processSingleton(
  "schemaEngine",
  (): { securevaultSchemaEngine?: Promise<EngineModule> } => ({}),
);

/** The schema engine's module, instantiated once per process. */
export function loadSchemaEngine(): Promise<EngineModule> {
  shared.securevaultSchemaEngine ??= (async () => {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
      __wbg_set_wasm?: (exports: WebAssembly.Exports) => void;
    };
    if (typeof glue.__wbg_set_wasm !== "function" || typeof glue.SchemaEngine !== "function") {
      throw new Error(
        `${CHECKED_AGAINST.package}'s glue no longer has __wbg_set_wasm and SchemaEngine (checked against ` +
          `${CHECKED_AGAINST.version}): see lib/db/internals/README.md`,
      );
    }
    const bytes = fs.readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return shared.securevaultSchemaEngine;
}
