-- CreateIndex
CREATE INDEX "deliveries_due_idx" ON "deliveries"("next_attempt_at") WHERE (status = ANY (ARRAY['pending'::delivery_status, 'retrying'::delivery_status]));
