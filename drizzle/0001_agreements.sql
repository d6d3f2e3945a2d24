CREATE TABLE `agreement` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`template_id` text NOT NULL,
	`language` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`template_source` text NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`notice_months` integer DEFAULT 1 NOT NULL,
	`renewals_forwarded` integer DEFAULT false NOT NULL,
	`service_agreement_reference` text DEFAULT '' NOT NULL,
	`service_agreement_end_date` text,
	`values_snapshot` text,
	`content_hash` text,
	`declined_reason` text,
	`notice_given_at` integer,
	`notice_given_by` text,
	`end_date` text,
	`ended_at` integer,
	`rescind_reason` text,
	`in_force_at` integer,
	`superseded_by_id` text,
	`sealed_path` text,
	`sealed_sha256` text,
	`sealed_at` integer,
	`seal_self_signed` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`template_id`) REFERENCES `agreement_template`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agreement_tenant_idx` ON `agreement` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `agreement_status_idx` ON `agreement` (`status`);--> statement-breakpoint
CREATE INDEX `agreement_sealed_sha_idx` ON `agreement` (`sealed_sha256`);--> statement-breakpoint
CREATE TABLE `agreement_signature` (
	`id` text PRIMARY KEY NOT NULL,
	`agreement_id` text NOT NULL,
	`party` text NOT NULL,
	`user_id` text NOT NULL,
	`signer_name` text NOT NULL,
	`signer_title` text NOT NULL,
	`organisation_name` text NOT NULL,
	`method` text NOT NULL,
	`content_hash` text NOT NULL,
	`signed_at` integer NOT NULL,
	`ip_address` text DEFAULT '' NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	`invalidated_at` integer,
	FOREIGN KEY (`agreement_id`) REFERENCES `agreement`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agreement_signature_agreement_idx` ON `agreement_signature` (`agreement_id`);--> statement-breakpoint
CREATE TABLE `agreement_template` (
	`id` text PRIMARY KEY NOT NULL,
	`template_key` text NOT NULL,
	`version` integer NOT NULL,
	`language` text NOT NULL,
	`title` text NOT NULL,
	`valid_from` text NOT NULL,
	`replaces` integer,
	`source` text NOT NULL,
	`sha256` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`origin` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agreement_template_version_unique` ON `agreement_template` (`template_key`,`version`,`language`);--> statement-breakpoint
CREATE INDEX `audit_target_seq_idx` ON `audit_entry` (`target_id`,`seq`);