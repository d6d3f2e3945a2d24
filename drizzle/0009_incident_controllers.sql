CREATE TABLE `incident_decision` (
	`report_id` text NOT NULL,
	`controller_key` text NOT NULL,
	`tenant_id` text,
	`decision` text NOT NULL,
	`authority_notified_on` text,
	`reason` text DEFAULT '' NOT NULL,
	`subjects_decision` text,
	`subjects_informed_on` text,
	`subjects_reason` text DEFAULT '' NOT NULL,
	`decided_at` integer NOT NULL,
	`decided_by` text NOT NULL,
	`decided_by_id` text,
	PRIMARY KEY(`report_id`, `controller_key`),
	FOREIGN KEY (`report_id`) REFERENCES `incident_report`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incident_onward_notice` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`recipient` text NOT NULL,
	`notified_at` integer NOT NULL,
	`method` text NOT NULL,
	`notified_by` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`recorded_at` integer NOT NULL,
	`recorded_by` text NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `incident_report`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_onward_notice_report_idx` ON `incident_onward_notice` (`report_id`,`notified_at`);--> statement-breakpoint
CREATE TABLE `incident_tenant` (
	`report_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	PRIMARY KEY(`report_id`, `tenant_id`),
	FOREIGN KEY (`report_id`) REFERENCES `incident_report`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_tenant_tenant_idx` ON `incident_tenant` (`tenant_id`);--> statement-breakpoint
ALTER TABLE `incident_report` ADD `concerns_main_connector` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `incident_report` ADD `joint_services` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
-- Custom SQL (back-fill): existing reports concern the reporter's tenant, or the main connector's
-- own activity when the reporter had none; a recorded decision becomes that controller's decision.
INSERT INTO `incident_tenant` (`report_id`, `tenant_id`) SELECT `id`, `tenant_id` FROM `incident_report` WHERE `tenant_id` IS NOT NULL;--> statement-breakpoint
UPDATE `incident_report` SET `concerns_main_connector` = 1 WHERE `tenant_id` IS NULL;--> statement-breakpoint
INSERT INTO `incident_decision` (`report_id`, `controller_key`, `tenant_id`, `decision`, `authority_notified_on`, `reason`, `decided_at`, `decided_by`)
	SELECT `id`, coalesce(`tenant_id`, 'main_connector'), `tenant_id`, `decision`, `authority_notified_on`, coalesce(`decision_reason`, ''), coalesce(`decided_at`, `updated_at`, `created_at`), coalesce(`decided_by`, '')
	FROM `incident_report` WHERE `decision` IS NOT NULL;--> statement-breakpoint
-- Reminders already sent for a report stay sent: `breach:<step>` becomes `breach:<controller>:<step>`.
INSERT OR IGNORE INTO `reminder_log` (`subject_id`, `reminder_key`, `sent_at`)
	SELECT l.`subject_id`, 'breach:' || coalesce(r.`tenant_id`, 'main_connector') || ':' || substr(l.`reminder_key`, 8), l.`sent_at`
	FROM `reminder_log` l JOIN `incident_report` r ON r.`id` = l.`subject_id` WHERE l.`reminder_key` LIKE 'breach:%';
