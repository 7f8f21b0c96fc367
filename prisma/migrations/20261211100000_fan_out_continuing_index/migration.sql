-- The continuing lane takes the oldest event whose fan-out is under way (fanned_out_to set).
-- Behind a backlog of new events, the created_at index walked past every one of them and the
-- planner chose to read the whole queue instead; the few continuing events get their own index.
-- CreateIndex
CREATE INDEX "event_fanout_queue_continuing_idx" ON "event_fanout_queue"("created_at") WHERE (fanned_out_to IS NOT NULL);
