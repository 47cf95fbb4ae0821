import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { onPostgres } from "@/lib/db/dialect";

// lib/db/client.ts sets up each SQLite connection: WAL checkpoints every 10,000 pages (SQLite's default is 1,000).
if (onPostgres) console.log("SQLite connection settings test skipped on PostgreSQL.");

it.skipIf(onPostgres)(
  "the client's SQLite connection runs in WAL mode and checkpoints every 10,000 pages",
  async () => {
    const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const [checkpoint] =
      await db.$queryRawUnsafe<{ wal_autocheckpoint: number | bigint }[]>("PRAGMA wal_autocheckpoint");
    expect(mode?.journal_mode).toBe("wal");
    expect(Number(checkpoint?.wal_autocheckpoint)).toBe(10_000);
  },
);
