ALTER TABLE `instruction` ADD `system_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `instruction_system_key_unique` ON `instruction` (`system_key`);--> statement-breakpoint
ALTER TABLE `instruction_version` ADD `security_plan_version_id` text REFERENCES security_plan_version(id);