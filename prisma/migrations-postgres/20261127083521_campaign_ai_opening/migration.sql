-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "aiOpeningEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "aiOpeningInstruction" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "pausedReason" TEXT;

-- AlterTable
ALTER TABLE "CampaignRecipient" ADD COLUMN     "aiOpening" TEXT;
