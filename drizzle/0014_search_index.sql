DROP INDEX `certificate_valid_to_idx`;--> statement-breakpoint
CREATE INDEX `certificate_valid_to_idx` ON `certificate` (`superseded_at`,`valid_to`,`kind`);
--> statement-breakpoint
-- The header search: trigram full-text indexes over the columns people search by, so "contains"
-- (in any letter case, ä å ö included) is an index lookup rather than a scan of every row.
-- External content: the text stays in the tables themselves; triggers keep the indexes in step.
-- The indexes key on the tables' rowids; a VACUUM (which may renumber them) must be followed by
-- INSERT INTO <index>(<index>) VALUES ('rebuild').
CREATE VIRTUAL TABLE `search_tenant` USING fts5(name, business_id, content='tenant', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_person` USING fts5(name, email, content='user', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_certificate` USING fts5(holder_name, subject, serial_number, content='certificate', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
INSERT INTO `search_tenant`(`search_tenant`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `search_person`(`search_person`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `search_certificate`(`search_certificate`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `search_tenant_insert` AFTER INSERT ON `tenant` BEGIN
	INSERT INTO search_tenant (rowid, name, business_id) VALUES (NEW.rowid, NEW.name, NEW.business_id);
END;
--> statement-breakpoint
CREATE TRIGGER `search_tenant_delete` AFTER DELETE ON `tenant` BEGIN
	INSERT INTO search_tenant (search_tenant, rowid, name, business_id) VALUES ('delete', OLD.rowid, OLD.name, OLD.business_id);
END;
--> statement-breakpoint
CREATE TRIGGER `search_tenant_update` AFTER UPDATE OF name, business_id ON `tenant` BEGIN
	INSERT INTO search_tenant (search_tenant, rowid, name, business_id) VALUES ('delete', OLD.rowid, OLD.name, OLD.business_id);
	INSERT INTO search_tenant (rowid, name, business_id) VALUES (NEW.rowid, NEW.name, NEW.business_id);
END;
--> statement-breakpoint
CREATE TRIGGER `search_person_insert` AFTER INSERT ON `user` BEGIN
	INSERT INTO search_person (rowid, name, email) VALUES (NEW.rowid, NEW.name, NEW.email);
END;
--> statement-breakpoint
CREATE TRIGGER `search_person_delete` AFTER DELETE ON `user` BEGIN
	INSERT INTO search_person (search_person, rowid, name, email) VALUES ('delete', OLD.rowid, OLD.name, OLD.email);
END;
--> statement-breakpoint
CREATE TRIGGER `search_person_update` AFTER UPDATE OF name, email ON `user` BEGIN
	INSERT INTO search_person (search_person, rowid, name, email) VALUES ('delete', OLD.rowid, OLD.name, OLD.email);
	INSERT INTO search_person (rowid, name, email) VALUES (NEW.rowid, NEW.name, NEW.email);
END;
--> statement-breakpoint
CREATE TRIGGER `search_certificate_insert` AFTER INSERT ON `certificate` BEGIN
	INSERT INTO search_certificate (rowid, holder_name, subject, serial_number) VALUES (NEW.rowid, NEW.holder_name, NEW.subject, NEW.serial_number);
END;
--> statement-breakpoint
CREATE TRIGGER `search_certificate_delete` AFTER DELETE ON `certificate` BEGIN
	INSERT INTO search_certificate (search_certificate, rowid, holder_name, subject, serial_number)
	VALUES ('delete', OLD.rowid, OLD.holder_name, OLD.subject, OLD.serial_number);
END;
--> statement-breakpoint
CREATE TRIGGER `search_certificate_update` AFTER UPDATE OF holder_name, subject, serial_number ON `certificate` BEGIN
	INSERT INTO search_certificate (search_certificate, rowid, holder_name, subject, serial_number)
	VALUES ('delete', OLD.rowid, OLD.holder_name, OLD.subject, OLD.serial_number);
	INSERT INTO search_certificate (rowid, holder_name, subject, serial_number) VALUES (NEW.rowid, NEW.holder_name, NEW.subject, NEW.serial_number);
END;
