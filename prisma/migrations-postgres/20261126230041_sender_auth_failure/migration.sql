-- AlterTable
ALTER TABLE "Sender" ADD COLUMN     "authFailedAt" TIMESTAMP(3),
ADD COLUMN     "authFailedReason" TEXT;
