CREATE TABLE `calendar_token` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calendar_token_user_idx` ON `calendar_token` (`user_id`);--> statement-breakpoint
CREATE TABLE `certificate` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`holder_type` text NOT NULL,
	`tenant_id` text,
	`holder_user_id` text,
	`holder_name` text NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`issuer` text DEFAULT '' NOT NULL,
	`serial_number` text DEFAULT '' NOT NULL,
	`fingerprint_sha256` text,
	`key_type` text DEFAULT '' NOT NULL,
	`key_size` integer,
	`valid_from` integer,
	`valid_to` integer NOT NULL,
	`reference` text DEFAULT '' NOT NULL,
	`pem` text,
	`source` text NOT NULL,
	`supersedes_id` text,
	`superseded_at` integer,
	`renewal_ordered_at` integer,
	`renewal_note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`created_by` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_fingerprint_unique` ON `certificate` (`fingerprint_sha256`);--> statement-breakpoint
CREATE INDEX `certificate_valid_to_idx` ON `certificate` (`superseded_at`,`valid_to`);--> statement-breakpoint
CREATE INDEX `certificate_tenant_idx` ON `certificate` (`tenant_id`,`valid_to`);--> statement-breakpoint
CREATE INDEX `certificate_holder_idx` ON `certificate` (`holder_type`,`kind`,`holder_user_id`);--> statement-breakpoint
CREATE TABLE `checklist_comment` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`user_id` text,
	`author_label` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `checklist_item`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `checklist_comment_item_idx` ON `checklist_comment` (`item_id`);--> statement-breakpoint
CREATE TABLE `checklist_item` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type_id` text NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`owner_id` text,
	`due_date` text,
	`evidence_reference` text DEFAULT '' NOT NULL,
	`evidence_date` text,
	`evidence_link` text DEFAULT '' NOT NULL,
	`submitted_at` integer,
	`submitted_by` text,
	`verified_at` integer,
	`verified_by` text,
	`returned_reason` text,
	`valid_until` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`type_id`) REFERENCES `prerequisite_type`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checklist_item_tenant_type_unique` ON `checklist_item` (`tenant_id`,`type_id`);--> statement-breakpoint
CREATE INDEX `checklist_item_due_idx` ON `checklist_item` (`due_date`);--> statement-breakpoint
CREATE TABLE `evidence_file` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`file_name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_path` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `checklist_item`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_file_item_idx` ON `evidence_file` (`item_id`);--> statement-breakpoint
CREATE TABLE `notification` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`params` text NOT NULL,
	`link` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`read_at` integer,
	`digested_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notification_user_idx` ON `notification` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notification_digest_idx` ON `notification` (`digested_at`);--> statement-breakpoint
CREATE TABLE `prerequisite_type` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name_fi` text NOT NULL,
	`name_sv` text NOT NULL,
	`name_en` text NOT NULL,
	`guidance_fi` text DEFAULT '' NOT NULL,
	`guidance_sv` text DEFAULT '' NOT NULL,
	`guidance_en` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`responsible_party` text NOT NULL,
	`sectors` text DEFAULT '[]' NOT NULL,
	`provider_types` text DEFAULT '[]' NOT NULL,
	`service_codes` text DEFAULT '[]' NOT NULL,
	`evidence_kind` text NOT NULL,
	`derived_rule` text,
	`renewal_months` integer,
	`required` integer DEFAULT true NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prerequisite_type_code_unique` ON `prerequisite_type` (`code`);--> statement-breakpoint
CREATE TABLE `reminder_log` (
	`subject_id` text NOT NULL,
	`reminder_key` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`subject_id`, `reminder_key`)
);
--> statement-breakpoint
CREATE TABLE `setting` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
ALTER TABLE `user` ADD `locale` text DEFAULT 'fi' NOT NULL;