-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "oauthProvider" TEXT;

-- CreateTable
CREATE TABLE "OAuthGrant" (
    "senderId" TEXT NOT NULL PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "refreshTokenCipher" TEXT NOT NULL,
    "accessTokenCipher" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "refreshLeaseUntil" DATETIME,
    "refusedAt" DATETIME,
    "refreshedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "OAuthGrant_senderId_fkey" FOREIGN KEY ("senderId") REFERENCES "Sender" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
