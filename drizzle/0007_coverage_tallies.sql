CREATE TABLE `acknowledgement_tally` (
	`instruction_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	`admins` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instruction_id`, `tenant_id`)
);
--> statement-breakpoint
CREATE TABLE `tenant_audience` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`people` integer DEFAULT 0 NOT NULL,
	`admins` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Triggers keep the coverage counts exact whatever code path changes people, roles or acknowledgements.
-- An acknowledgement is current when its version is at least the instruction's newest material version.
CREATE TRIGGER `coverage_user_insert` AFTER INSERT ON `user`
WHEN NEW.status = 'active' AND NEW.tenant_id IS NOT NULL
BEGIN
	INSERT INTO tenant_audience (tenant_id, people, admins) VALUES (NEW.tenant_id, 1, 0)
	ON CONFLICT (tenant_id) DO UPDATE SET people = people + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `coverage_user_status` AFTER UPDATE OF status ON `user`
WHEN NEW.tenant_id IS NOT NULL AND (OLD.status = 'active') <> (NEW.status = 'active')
BEGIN
	INSERT INTO tenant_audience (tenant_id, people, admins)
	SELECT NEW.tenant_id, d.delta, d.delta * EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = NEW.id AND r.role = 'tenant_admin')
	FROM (SELECT CASE WHEN NEW.status = 'active' THEN 1 ELSE -1 END AS delta) d WHERE true
	ON CONFLICT (tenant_id) DO UPDATE SET people = people + excluded.people, admins = admins + excluded.admins;
	INSERT INTO acknowledgement_tally (instruction_id, tenant_id, people, admins)
	SELECT c.instruction_id, NEW.tenant_id, d.delta, d.delta * EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = NEW.id AND r.role = 'tenant_admin')
	FROM (SELECT DISTINCT a.instruction_id FROM acknowledgement a
		WHERE a.user_id = NEW.id AND a.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = a.instruction_id AND v.material = 1)) c,
		(SELECT CASE WHEN NEW.status = 'active' THEN 1 ELSE -1 END AS delta) d
	WHERE true
	ON CONFLICT (instruction_id, tenant_id) DO UPDATE SET people = people + excluded.people, admins = admins + excluded.admins;
END;
--> statement-breakpoint
CREATE TRIGGER `coverage_role_insert` AFTER INSERT ON `user_role`
WHEN NEW.role = 'tenant_admin' AND EXISTS (SELECT 1 FROM user u WHERE u.id = NEW.user_id AND u.status = 'active' AND u.tenant_id IS NOT NULL)
BEGIN
	INSERT INTO tenant_audience (tenant_id, people, admins) SELECT u.tenant_id, 0, 1 FROM user u WHERE u.id = NEW.user_id
	ON CONFLICT (tenant_id) DO UPDATE SET admins = admins + 1;
	INSERT INTO acknowledgement_tally (instruction_id, tenant_id, people, admins)
	SELECT DISTINCT a.instruction_id, u.tenant_id, 0, 1 FROM acknowledgement a, user u
	WHERE u.id = NEW.user_id AND a.user_id = NEW.user_id
		AND a.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = a.instruction_id AND v.material = 1)
	ON CONFLICT (instruction_id, tenant_id) DO UPDATE SET admins = admins + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `coverage_role_delete` AFTER DELETE ON `user_role`
WHEN OLD.role = 'tenant_admin' AND EXISTS (SELECT 1 FROM user u WHERE u.id = OLD.user_id AND u.status = 'active' AND u.tenant_id IS NOT NULL)
BEGIN
	UPDATE tenant_audience SET admins = admins - 1 WHERE tenant_id = (SELECT u.tenant_id FROM user u WHERE u.id = OLD.user_id);
	UPDATE acknowledgement_tally SET admins = admins - 1
	WHERE tenant_id = (SELECT u.tenant_id FROM user u WHERE u.id = OLD.user_id)
		AND instruction_id IN (SELECT a.instruction_id FROM acknowledgement a WHERE a.user_id = OLD.user_id
			AND a.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = a.instruction_id AND v.material = 1));
END;
--> statement-breakpoint
CREATE TRIGGER `coverage_acknowledgement_insert` AFTER INSERT ON `acknowledgement`
WHEN NEW.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = NEW.instruction_id AND v.material = 1)
	AND NOT EXISTS (SELECT 1 FROM acknowledgement a WHERE a.instruction_id = NEW.instruction_id AND a.user_id = NEW.user_id AND a.id <> NEW.id
		AND a.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = NEW.instruction_id AND v.material = 1))
	AND EXISTS (SELECT 1 FROM user u WHERE u.id = NEW.user_id AND u.status = 'active' AND u.tenant_id IS NOT NULL)
BEGIN
	INSERT INTO acknowledgement_tally (instruction_id, tenant_id, people, admins)
	SELECT NEW.instruction_id, u.tenant_id, 1, EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'tenant_admin') FROM user u WHERE u.id = NEW.user_id
	ON CONFLICT (instruction_id, tenant_id) DO UPDATE SET people = people + 1, admins = admins + excluded.admins;
END;
--> statement-breakpoint
CREATE TRIGGER `coverage_material_version` AFTER INSERT ON `instruction_version`
WHEN NEW.material = 1
BEGIN
	DELETE FROM acknowledgement_tally WHERE instruction_id = NEW.instruction_id;
END;
--> statement-breakpoint
INSERT INTO tenant_audience (tenant_id, people, admins)
SELECT u.tenant_id, count(*), sum(EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'tenant_admin'))
FROM user u WHERE u.status = 'active' AND u.tenant_id IS NOT NULL GROUP BY u.tenant_id;
--> statement-breakpoint
INSERT INTO acknowledgement_tally (instruction_id, tenant_id, people, admins)
SELECT c.instruction_id, u.tenant_id, count(*), sum(EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'tenant_admin'))
FROM (SELECT DISTINCT a.instruction_id, a.user_id FROM acknowledgement a
	WHERE a.version >= (SELECT max(v.version) FROM instruction_version v WHERE v.instruction_id = a.instruction_id AND v.material = 1)) c
JOIN user u ON u.id = c.user_id
WHERE u.status = 'active' AND u.tenant_id IS NOT NULL
GROUP BY c.instruction_id, u.tenant_id;
