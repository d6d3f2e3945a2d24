CREATE TABLE `pending_effect` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `pending_effect_open_idx` ON `pending_effect` (`done_at`,`subject_id`);--> statement-breakpoint
-- Agreements in force whose sealing was interrupted before this table existed are sealed by it now.
INSERT INTO `pending_effect` (`kind`, `subject_id`) SELECT 'agreement.seal', `id` FROM `agreement` WHERE `status` = 'in_force' AND `sealed_path` IS NULL;
