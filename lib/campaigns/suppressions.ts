import "server-only";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";

export type SuppressionView = {
  id: string;
  email: string;
  reason: string;
  detail: string | null;
  createdAt: string;
};

export async function listSuppressions(userId: string, { limit = 10_000 } = {}): Promise<SuppressionView[]> {
  const rows = await db.suppression.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function addSuppression(
  userId: string,
  email: string,
  detail?: string,
): Promise<SuppressionView> {
  try {
    const row = await db.suppression.create({
      data: { userId, email: email.toLowerCase(), reason: "manual", detail: detail || null },
    });
    return { ...row, createdAt: row.createdAt.toISOString() };
  } catch (error) {
    if (isUniqueViolation(error)) throw new ApiError("conflict", "This address is already on the list.");
    throw error;
  }
}

export async function removeSuppression(userId: string, id: string): Promise<void> {
  const { count } = await db.suppression.deleteMany({ where: { id, userId } });
  if (count === 0) throw new ApiError("not_found", "Not on the suppression list.");
}

/** The list as CSV: email, reason, detail, added. */
export async function suppressionsCsv(userId: string): Promise<string> {
  const rows = await listSuppressions(userId, { limit: 1_000_000 });
  return toCsv(
    ["email", "reason", "detail", "added"],
    rows.map((r) => [r.email, r.reason, r.detail ?? "", r.createdAt]),
  );
}

/** CSV text: fields quoted when they need it; a leading =, +, - or @ is prefixed so no spreadsheet runs it. */
export function toCsv(header: string[], rows: string[][]): string {
  const field = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}
