-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "authFailedAt" DATETIME;
ALTER TABLE "Sender" ADD COLUMN "authFailedReason" TEXT;
