CREATE TABLE `oidc_identity` (
	`provider` text NOT NULL,
	`subject` text NOT NULL,
	`user_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`provider`, `subject`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oidc_identity_user_idx` ON `oidc_identity` (`user_id`);--> statement-breakpoint
CREATE TABLE `oidc_policy` (
	`organisation` text PRIMARY KEY NOT NULL,
	`auto_create_role` text,
	`sso_only` integer DEFAULT false NOT NULL,
	`signing_provider` text,
	`signing_min_acr` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `oidc_transaction` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`purpose` text NOT NULL,
	`state` text NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`context` text DEFAULT '' NOT NULL,
	`user_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `agreement_signature` ADD `id_provider` text;--> statement-breakpoint
ALTER TABLE `agreement_signature` ADD `id_acr` text;--> statement-breakpoint
ALTER TABLE `agreement_signature` ADD `id_subject_hash` text;--> statement-breakpoint
ALTER TABLE `agreement_signature` ADD `id_auth_at` integer;--> statement-breakpoint
ALTER TABLE `session` ADD `oidc_provider` text;--> statement-breakpoint
ALTER TABLE `session` ADD `oidc_id_token` text;--> statement-breakpoint
ALTER TABLE `session` ADD `mfa_by_provider` integer DEFAULT false NOT NULL;