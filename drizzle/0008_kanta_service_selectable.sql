ALTER TABLE `kanta_service` ADD `selectable` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- Custom SQL (data back-fill, not generated). The Pharmaceutical Database is a support service the
-- main connector keeps current (agreement §3) and Kelain is Kela's own web tool: neither is a
-- tenant's Annex 1 choice. Their rows stay so older tenant records remain readable.
UPDATE `kanta_service` SET `selectable` = false WHERE `code` IN ('pharmaceutical_database', 'kelain');--> statement-breakpoint
-- An installation whose catalogue is already seeded gets the will-expression service (a new one
-- is seeded with it from DEFAULT_KANTA_SERVICES). Its English name awaits review.
INSERT INTO `kanta_service` (`id`, `code`, `name_fi`, `name_sv`, `name_en`, `needs_review`, `selectable`, `sort_order`)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
	'will_expression', 'Tahdonilmaisupalvelu', 'Viljeyttringstjänsten', 'Will-expression Service', true, true,
	coalesce((SELECT `sort_order` FROM `kanta_service` WHERE `code` = 'data_management_service'), 0) + 5
WHERE EXISTS (SELECT 1 FROM `kanta_service`) AND NOT EXISTS (SELECT 1 FROM `kanta_service` WHERE `code` = 'will_expression');
