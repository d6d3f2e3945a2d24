CREATE TABLE `recovery_code` (
	`id` text PRIMARY KEY NOT NULL,
	`salt` text NOT NULL,
	`code_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recovery_code_user_idx` ON `recovery_code` (`user_id`);--> statement-breakpoint
CREATE TABLE `two_factor` (
	`user_id` text PRIMARY KEY NOT NULL,
	`secret` text,
	`enabled_at` integer,
	`last_counter` integer DEFAULT 0 NOT NULL,
	`pending_secret` text,
	`pending_created_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `session` ADD `two_factor_verified_at` integer;