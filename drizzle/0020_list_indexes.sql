CREATE INDEX `agreement_list_idx` ON `agreement` (`created_at`,`id`,`tenant_id`,`status`,`language`,`in_force_at`);--> statement-breakpoint
CREATE INDEX `agreement_status_list_idx` ON `agreement` (`status`,`created_at`,`id`,`tenant_id`,`language`,`in_force_at`);--> statement-breakpoint
CREATE INDEX `certificate_supersedes_idx` ON `certificate` (`supersedes_id`);--> statement-breakpoint
CREATE INDEX `checklist_item_status_review_idx` ON `checklist_item` (`status`,`valid_until`);