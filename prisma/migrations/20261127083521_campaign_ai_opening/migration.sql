-- AlterTable
ALTER TABLE "CampaignRecipient" ADD COLUMN "aiOpening" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "senderId" TEXT,
    "name" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "html" TEXT NOT NULL DEFAULT '',
    "columns" JSONB NOT NULL,
    "emailColumn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "startAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "pausedReason" TEXT,
    "aiOpeningEnabled" BOOLEAN NOT NULL DEFAULT false,
    "aiOpeningInstruction" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Campaign_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Campaign_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Campaign" ("columns", "createdAt", "emailColumn", "finishedAt", "html", "id", "name", "senderId", "startAt", "startedAt", "status", "subject", "updatedAt", "userId") SELECT "columns", "createdAt", "emailColumn", "finishedAt", "html", "id", "name", "senderId", "startAt", "startedAt", "status", "subject", "updatedAt", "userId" FROM "Campaign";
DROP TABLE "Campaign";
ALTER TABLE "new_Campaign" RENAME TO "Campaign";
CREATE INDEX "Campaign_userId_createdAt_idx" ON "Campaign"("userId", "createdAt");
CREATE INDEX "Campaign_status_startAt_idx" ON "Campaign"("status", "startAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
