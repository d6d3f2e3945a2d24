DROP INDEX `checklist_item_status_due_idx`;--> statement-breakpoint
CREATE INDEX `checklist_item_status_due_idx` ON `checklist_item` (`status`,`due_date`,`tenant_id`);