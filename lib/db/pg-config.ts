import type { PoolConfig } from "pg";
import { parse } from "pg-connection-string";

/**
 * A PostgreSQL URL as discrete pool settings. The pg adapter makes scratch (shadow) databases by copying its
 * config with another `database`; a connectionString would win over that and point back at the main one.
 */
export function pgPoolConfig(url: string): PoolConfig {
  const parsed = parse(url);
  const config: PoolConfig = {
    host: parsed.host ?? undefined,
    port: parsed.port ? Number(parsed.port) : undefined,
    user: parsed.user ?? undefined,
    password: parsed.password ?? undefined,
    database: parsed.database ?? undefined,
  };
  if (parsed.ssl) config.ssl = parsed.ssl as PoolConfig["ssl"];
  return config;
}
