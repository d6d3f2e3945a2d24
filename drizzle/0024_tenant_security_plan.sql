ALTER TABLE `security_plan` ADD `shared_with_main_connector` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `security_plan_tenant_unique` ON `security_plan` (`tenant_id`);