CREATE TABLE `security_plan_check` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`checked_on` text NOT NULL,
	`checked_by` text,
	`checked_by_name` text NOT NULL,
	`chapters` text DEFAULT '' NOT NULL,
	`requirement_id` text,
	`what` text NOT NULL,
	`findings` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `security_plan`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `security_plan_check_plan` ON `security_plan_check` (`plan_id`,`checked_on`);