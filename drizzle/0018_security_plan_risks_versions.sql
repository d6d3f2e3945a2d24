CREATE TABLE `security_plan_acknowledgement` (
	`version_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text,
	`user_name` text NOT NULL,
	`acknowledged_at` integer NOT NULL,
	PRIMARY KEY(`version_id`, `tenant_id`),
	FOREIGN KEY (`version_id`) REFERENCES `security_plan_version`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `security_plan_document` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`requirement_id` text NOT NULL,
	`title` text NOT NULL,
	`url` text DEFAULT '' NOT NULL,
	`file_name` text DEFAULT '' NOT NULL,
	`storage_path` text,
	`sha256` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `security_plan_document_requirement` ON `security_plan_document` (`plan_id`,`requirement_id`);--> statement-breakpoint
CREATE TABLE `security_plan_risk` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`title` text NOT NULL,
	`systems` text DEFAULT '' NOT NULL,
	`chapters` text DEFAULT '' NOT NULL,
	`likelihood` text NOT NULL,
	`impact` text NOT NULL,
	`treatment` text DEFAULT '' NOT NULL,
	`residual` text NOT NULL,
	`accepted_by` text,
	`accepted_by_name` text DEFAULT '' NOT NULL,
	`accepted_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `security_plan_risk_plan` ON `security_plan_risk` (`plan_id`);--> statement-breakpoint
CREATE TABLE `security_plan_version` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`content_hash` text NOT NULL,
	`approved_by` text,
	`approver_name` text NOT NULL,
	`method` text NOT NULL,
	`approved_at` integer NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `security_plan_version_unique` ON `security_plan_version` (`plan_id`,`version`);--> statement-breakpoint
ALTER TABLE `security_plan` ADD `responsible_director_id` text REFERENCES user(id);