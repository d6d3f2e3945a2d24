ALTER TABLE `webhook_endpoint` ADD `tenant_id` text REFERENCES tenant(id);--> statement-breakpoint
ALTER TABLE `webhook_endpoint` ADD `failing_since` integer;--> statement-breakpoint
ALTER TABLE `webhook_endpoint` ADD `disabled_reason` text;