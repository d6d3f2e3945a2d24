CREATE TABLE `agreement_campaign` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`template_key` text NOT NULL,
	`template_version` integer NOT NULL,
	`template_id` text NOT NULL,
	`scope` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`remind_after_days` integer DEFAULT 14 NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`template_id`) REFERENCES `agreement_template`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `campaign_agreement` (
	`campaign_id` text NOT NULL,
	`agreement_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`sent_at` integer,
	`last_reminded_at` integer,
	`reminders` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `agreement_id`),
	FOREIGN KEY (`campaign_id`) REFERENCES `agreement_campaign`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agreement_id`) REFERENCES `agreement`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_agreement_agreement_unique` ON `campaign_agreement` (`agreement_id`);--> statement-breakpoint
CREATE INDEX `campaign_agreement_tenant_idx` ON `campaign_agreement` (`tenant_id`);