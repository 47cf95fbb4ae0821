export type Provider = "sqlite" | "postgresql";

/** Which database a URL points at: postgres:// and postgresql:// are PostgreSQL, anything else SQLite. */
export const providerOf = (databaseUrl: string): Provider =>
  /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite";
