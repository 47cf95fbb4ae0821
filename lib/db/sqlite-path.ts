import path from "node:path";

/** "file:./x.db" → absolute path; ":memory:" passes through. */
export function sqliteFilePath(databaseUrl: string): string {
  const file = databaseUrl.replace(/^file:(\/\/)?/, "").split("?")[0]!;
  return file === ":memory:" ? file : path.resolve(file);
}
