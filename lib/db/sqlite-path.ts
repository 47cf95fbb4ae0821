import fs from "node:fs";
import path from "node:path";

/** "file:./x.db" → absolute path; ":memory:" passes through. */
export function sqliteFilePath(databaseUrl: string): string {
  const file = databaseUrl.replace(/^file:(\/\/)?/, "").split("?")[0]!;
  return file === ":memory:" ? file : path.resolve(file);
}

/**
 * Creates a database file's directory (0700) and the empty file itself (0600) when missing, before SQLite opens
 * it: SQLite would create the file with the process umask (0644 as a rule), and it gives its -wal and -shm files
 * the database file's permissions. The database holds password hashes and encrypted SMTP secrets, so nobody but
 * this user may read it. Existing files and directories keep the permissions an admin gave them.
 */
export function prepareSqliteFile(file: string): void {
  if (file === ":memory:") return;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
