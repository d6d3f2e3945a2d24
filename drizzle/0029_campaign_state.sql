ALTER TABLE `agreement_campaign` ADD `state_fingerprint` text;--> statement-breakpoint
ALTER TABLE `campaign_agreement` ADD `state` text;--> statement-breakpoint
ALTER TABLE `campaign_agreement` ADD `missing` text;--> statement-breakpoint
ALTER TABLE `campaign_agreement` ADD `tenant_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `campaign_agreement_state_list_idx` ON `campaign_agreement` (`campaign_id`,`state`,`tenant_name`,`tenant_id`,`agreement_id`);--> statement-breakpoint
CREATE INDEX `campaign_agreement_list_idx` ON `campaign_agreement` (`campaign_id`,`tenant_name`,`tenant_id`,`agreement_id`);--> statement-breakpoint
-- Custom SQL (appended to the generated statements above; drizzle does not model triggers): the stored
-- campaign states are a cache the database itself invalidates, so every writer (the portal, the jobs
-- script, an import in another process, a hand-run UPDATE) keeps it honest. A state is null when it must
-- be worked out again (campaign-rows.ts does it lazily, on the next list). What every draft shares (the
-- main connector, the designated persons, the date) is hashed into agreement_campaign.state_fingerprint
-- instead, so those tables need no trigger. The tenant's name is copied for the list's index order.
UPDATE campaign_agreement SET tenant_name = (SELECT name FROM tenant WHERE tenant.id = campaign_agreement.tenant_id);
--> statement-breakpoint
CREATE TRIGGER campaign_state_inserted AFTER INSERT ON campaign_agreement BEGIN
	UPDATE campaign_agreement SET state = NULL, missing = NULL, tenant_name = (SELECT name FROM tenant WHERE tenant.id = NEW.tenant_id) WHERE rowid = NEW.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_relinked AFTER UPDATE OF agreement_id, tenant_id ON campaign_agreement BEGIN
	UPDATE campaign_agreement SET state = NULL, missing = NULL, tenant_name = (SELECT name FROM tenant WHERE tenant.id = NEW.tenant_id) WHERE rowid = NEW.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_tenant AFTER UPDATE ON tenant BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE tenant_id = NEW.id AND state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_tenant_name AFTER UPDATE OF name ON tenant BEGIN
	UPDATE campaign_agreement SET tenant_name = NEW.name WHERE tenant_id = NEW.id AND tenant_name IS NOT NEW.name;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_agreement AFTER UPDATE ON agreement BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE agreement_id = NEW.id AND state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_service_added AFTER INSERT ON tenant_service BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE tenant_id = NEW.tenant_id AND state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_service_removed AFTER DELETE ON tenant_service BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE tenant_id = OLD.tenant_id AND state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_service_changed AFTER UPDATE ON tenant_service BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE tenant_id IN (OLD.tenant_id, NEW.tenant_id) AND state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_kanta_service AFTER UPDATE OF code, selectable ON kanta_service BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE state IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER campaign_state_kanta_service_removed AFTER DELETE ON kanta_service BEGIN
	UPDATE campaign_agreement SET state = NULL WHERE state IS NOT NULL;
END;
