import type { db } from "@/lib/db/client";

/** The database, or the transaction an operation runs in. */
export type DbClient = Pick<typeof db, "$queryRaw" | "$executeRaw">;
