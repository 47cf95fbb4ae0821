-- CreateIndex
CREATE INDEX "Message_status_senderId_nextAttemptAt_idx" ON "Message"("status", "senderId", "nextAttemptAt");
