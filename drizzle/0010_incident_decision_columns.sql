ALTER TABLE `incident_event` ADD `tenant_id` text REFERENCES tenant(id);--> statement-breakpoint
ALTER TABLE `incident_report` DROP COLUMN `decision`;--> statement-breakpoint
ALTER TABLE `incident_report` DROP COLUMN `decision_reason`;--> statement-breakpoint
ALTER TABLE `incident_report` DROP COLUMN `decided_at`;--> statement-breakpoint
ALTER TABLE `incident_report` DROP COLUMN `decided_by`;--> statement-breakpoint
ALTER TABLE `incident_report` DROP COLUMN `authority_notified_on`;