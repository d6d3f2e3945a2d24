CREATE TABLE `acknowledgement` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`instruction_id` text NOT NULL,
	`version_id` text NOT NULL,
	`version` integer NOT NULL,
	`language` text NOT NULL,
	`content_sha256` text NOT NULL,
	`at` integer NOT NULL,
	`ip_address` text DEFAULT '' NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`instruction_id`) REFERENCES `instruction`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `instruction_version`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `acknowledgement_instruction_user_idx` ON `acknowledgement` (`instruction_id`,`user_id`,`version`);--> statement-breakpoint
CREATE INDEX `acknowledgement_user_idx` ON `acknowledgement` (`user_id`);--> statement-breakpoint
CREATE TABLE `announcement` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`all_tenants` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` integer,
	`closed_at` integer
);
--> statement-breakpoint
CREATE TABLE `announcement_tenant` (
	`announcement_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	PRIMARY KEY(`announcement_id`, `tenant_id`),
	FOREIGN KEY (`announcement_id`) REFERENCES `announcement`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incident_event` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_label` text NOT NULL,
	`action` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `incident_report`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_event_report_idx` ON `incident_event` (`report_id`,`at`);--> statement-breakpoint
CREATE TABLE `incident_report` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`kind` text NOT NULL,
	`noticed_at` integer NOT NULL,
	`description` text NOT NULL,
	`affected` text DEFAULT '' NOT NULL,
	`reporter_id` text,
	`reporter_name` text NOT NULL,
	`reporter_contact` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`decision` text,
	`decision_reason` text,
	`decided_at` integer,
	`decided_by` text,
	`authority_notified_on` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_tenant_idx` ON `incident_report` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `incident_status_idx` ON `incident_report` (`status`,`kind`);--> statement-breakpoint
CREATE TABLE `instruction` (
	`id` text PRIMARY KEY NOT NULL,
	`category` text NOT NULL,
	`all_tenants` integer DEFAULT true NOT NULL,
	`audience` text DEFAULT 'all_staff' NOT NULL,
	`requires_ack` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE TABLE `instruction_tenant` (
	`instruction_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	PRIMARY KEY(`instruction_id`, `tenant_id`),
	FOREIGN KEY (`instruction_id`) REFERENCES `instruction`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `instruction_tenant_tenant_idx` ON `instruction_tenant` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `instruction_version` (
	`id` text PRIMARY KEY NOT NULL,
	`instruction_id` text NOT NULL,
	`version` integer NOT NULL,
	`material` integer NOT NULL,
	`change_summary` text DEFAULT '' NOT NULL,
	`title_fi` text NOT NULL,
	`body_fi` text NOT NULL,
	`title_sv` text NOT NULL,
	`body_sv` text NOT NULL,
	`title_en` text,
	`body_en` text,
	`attachment_name` text,
	`attachment_path` text,
	`attachment_sha256` text,
	`published_at` integer NOT NULL,
	`published_by` text NOT NULL,
	FOREIGN KEY (`instruction_id`) REFERENCES `instruction`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `instruction_version_unique` ON `instruction_version` (`instruction_id`,`version`);--> statement-breakpoint
CREATE TABLE `training_module` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_fi` text NOT NULL,
	`name_sv` text NOT NULL,
	`name_en` text NOT NULL,
	`description_fi` text DEFAULT '' NOT NULL,
	`description_sv` text DEFAULT '' NOT NULL,
	`description_en` text DEFAULT '' NOT NULL,
	`validity_months` integer,
	`required_for_roles` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `training_module_code_unique` ON `training_module` (`code`);--> statement-breakpoint
CREATE TABLE `training_record` (
	`id` text PRIMARY KEY NOT NULL,
	`module_id` text NOT NULL,
	`user_id` text NOT NULL,
	`tenant_id` text,
	`completed_on` text NOT NULL,
	`valid_until` text,
	`confirmed` integer NOT NULL,
	`confirmed_by` text,
	`confirmed_at` integer,
	`evidence_name` text,
	`evidence_path` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `training_module`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `training_record_user_idx` ON `training_record` (`user_id`,`module_id`);--> statement-breakpoint
CREATE INDEX `training_record_tenant_idx` ON `training_record` (`tenant_id`);