CREATE TABLE `security_framework` (
	`id` text PRIMARY KEY NOT NULL,
	`framework_key` text NOT NULL,
	`version` integer NOT NULL,
	`valid_from` text NOT NULL,
	`source` text NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `security_framework_version_unique` ON `security_framework` (`framework_key`,`version`);--> statement-breakpoint
CREATE TABLE `security_plan` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text,
	`framework_key` text NOT NULL,
	`framework_version` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `security_plan_entry` (
	`plan_id` text NOT NULL,
	`requirement_id` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`owner_id` text,
	`status` text DEFAULT 'not_described' NOT NULL,
	`last_reviewed_on` text,
	`next_review_on` text NOT NULL,
	`responsible_party` text DEFAULT 'main_connector' NOT NULL,
	`responsible_name` text DEFAULT '' NOT NULL,
	`agreement_reference` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`plan_id`, `requirement_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `security_plan_entry_next_review` ON `security_plan_entry` (`next_review_on`);--> statement-breakpoint
CREATE TABLE `security_plan_section` (
	`plan_id` text NOT NULL,
	`chapter` text NOT NULL,
	`binds_tenants` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	PRIMARY KEY(`plan_id`, `chapter`),
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action
);
