-- AlterTable
ALTER TABLE "Message" ADD COLUMN "sendAt" DATETIME;

-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "maxConnections" INTEGER;
ALTER TABLE "Sender" ADD COLUMN "maxPerDay" INTEGER;
ALTER TABLE "Sender" ADD COLUMN "maxPerSecond" REAL;

-- AlterTable
ALTER TABLE "User" ADD COLUMN "undoSendSeconds" INTEGER;

-- CreateIndex
CREATE INDEX "Message_senderId_sentAt_idx" ON "Message"("senderId", "sentAt");
