-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "smtpSizeLimit" INTEGER;

-- CreateTable
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "uploadKey" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "contentId" TEXT,
    "executable" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MessageAttachment" (
    "messageId" TEXT NOT NULL,
    "attachmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("messageId", "attachmentId"),
    CONSTRAINT "MessageAttachment_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MessageAttachment_attachmentId_fkey" FOREIGN KEY ("attachmentId") REFERENCES "Attachment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "senderId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "messageIdHeader" TEXT NOT NULL,
    "fromName" TEXT,
    "fromEmail" TEXT NOT NULL,
    "to" JSONB NOT NULL,
    "cc" JSONB NOT NULL,
    "bcc" JSONB NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT,
    "searchText" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sendAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" DATETIME,
    "smtpResponse" TEXT,
    "lastError" TEXT,
    "accepted" JSONB,
    "rejected" JSONB,
    "recipientOutcomes" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "recipientCount" INTEGER NOT NULL DEFAULT 1,
    "attachmentBytes" INTEGER NOT NULL DEFAULT 0,
    "inReplyTo" TEXT,
    "references" TEXT,
    "forwardOf" TEXT,
    CONSTRAINT "Message_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("accepted", "attempts", "bcc", "cc", "createdAt", "forwardOf", "fromEmail", "fromName", "html", "id", "idempotencyKey", "inReplyTo", "lastError", "leaseUntil", "messageIdHeader", "nextAttemptAt", "recipientCount", "recipientOutcomes", "references", "rejected", "requestHash", "searchText", "sendAt", "senderId", "sentAt", "smtpResponse", "status", "subject", "text", "to", "updatedAt", "userId") SELECT "accepted", "attempts", "bcc", "cc", "createdAt", "forwardOf", "fromEmail", "fromName", "html", "id", "idempotencyKey", "inReplyTo", "lastError", "leaseUntil", "messageIdHeader", "nextAttemptAt", "recipientCount", "recipientOutcomes", "references", "rejected", "requestHash", "searchText", "sendAt", "senderId", "sentAt", "smtpResponse", "status", "subject", "text", "to", "updatedAt", "userId" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE UNIQUE INDEX "Message_messageIdHeader_key" ON "Message"("messageIdHeader");
CREATE INDEX "Message_userId_createdAt_idx" ON "Message"("userId", "createdAt");
CREATE INDEX "Message_status_nextAttemptAt_idx" ON "Message"("status", "nextAttemptAt");
CREATE INDEX "Message_status_senderId_nextAttemptAt_idx" ON "Message"("status", "senderId", "nextAttemptAt");
CREATE INDEX "Message_senderId_sentAt_idx" ON "Message"("senderId", "sentAt");
CREATE UNIQUE INDEX "Message_userId_idempotencyKey_key" ON "Message"("userId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Attachment_userId_createdAt_idx" ON "Attachment"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_userId_uploadKey_key" ON "Attachment"("userId", "uploadKey");

-- CreateIndex
CREATE INDEX "MessageAttachment_attachmentId_idx" ON "MessageAttachment"("attachmentId");
