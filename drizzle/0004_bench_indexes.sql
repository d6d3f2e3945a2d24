CREATE INDEX `certificate_holder_valid_idx` ON `certificate` (`holder_type`,`superseded_at`,`valid_to`);--> statement-breakpoint
CREATE INDEX `checklist_item_status_due_idx` ON `checklist_item` (`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `tenant_stage_archived_idx` ON `tenant` (`stage`,`archived_at`);