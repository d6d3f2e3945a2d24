CREATE TABLE `information_system` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`system_class` text NOT NULL,
	`purpose` text NOT NULL,
	`certificate_valid_until` text NOT NULL,
	`certificate_reference` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE TABLE `leaver_task` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`tenant_id` text,
	`person_name` text NOT NULL,
	`person_email` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`completed_at` integer,
	`completed_by` text,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenant`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leaver_task_open_idx` ON `leaver_task` (`completed_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `leaver_task_tenant_idx` ON `leaver_task` (`tenant_id`,`completed_at`);--> statement-breakpoint
-- Custom SQL (not generated): the prerequisite catalogue of installations set up earlier.
-- Entries whose meaning changed get their new rule or party; their texts change only where they
-- still read as the old defaults (an administrator's own wording stays). New entries are added at
-- start-up by ensureCatalogue(). Items that are now derived follow their records and never expire.
UPDATE prerequisite_type SET guidance_fi = 'Vuokralainen on palveluntuottajien rekisterissä (Soteri), jota pitää Lupa- ja valvontavirasto (aiemmin Valvira). Kirjaa rekisteröintinumero.' WHERE code = 'soteri_registration' AND guidance_fi = 'Vuokralainen on Valviran palveluntuottajarekisterissä (Soteri). Kirjaa rekisteröintinumero.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_sv = 'Hyresgästen finns i registret över tjänsteproducenter (Soteri), som förs av Tillstånds- och tillsynsverket (tidigare Valvira). Ange registreringsnumret.' WHERE code = 'soteri_registration' AND guidance_sv = 'Hyresgästen finns i Valviras register över tjänsteproducenter (Soteri). Ange registreringsnumret.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_en = 'The tenant is in the register of service providers (Soteri), kept by the Finnish Supervisory Agency (formerly Valvira). Record the registration number.' WHERE code = 'soteri_registration' AND guidance_en = 'The tenant is in Valvira''s register of service providers (Soteri). Record the registration number.';
--> statement-breakpoint
UPDATE prerequisite_type SET evidence_kind = 'derived', derived_rule = 'unit_in_code_service' WHERE code = 'social_welfare_data_valvira';
--> statement-breakpoint
UPDATE prerequisite_type SET name_fi = 'Sosiaalihuollon palveluyksikkö THL:n koodistopalvelussa' WHERE code = 'social_welfare_data_valvira' AND name_fi = 'Yksityisen sosiaalihuollon tiedot Valviran rekisterissä';
--> statement-breakpoint
UPDATE prerequisite_type SET name_sv = 'Socialvårdens serviceenhet i THL:s kodtjänst' WHERE code = 'social_welfare_data_valvira' AND name_sv = 'Uppgifter om privat socialvård i Valviras register';
--> statement-breakpoint
UPDATE prerequisite_type SET name_en = 'Social welfare unit in THL''s code service' WHERE code = 'social_welfare_data_valvira' AND name_en = 'Private social welfare data in Valvira’s register';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_fi = 'Yksityisen sosiaalihuollon palveluyksikön tiedot kulkevat Soterista (Lupa- ja valvontavirasto, aiemmin Valvira; Soteri korvasi Valverin) THL:n koodistopalveluun, ja Kanta tunnistaa yksikön sieltä saadusta OID-tunnuksesta. Kohta täyttyy, kun vuokralaisella on vähintään yksi palveluyksikkö ja jokaisen OID on vuokralaisen juuritunnuksen alla.' WHERE code = 'social_welfare_data_valvira' AND guidance_fi = 'Yksityisen sosiaalihuollon palveluyksikön tiedot on ilmoitettu Valviran rekisteriin (Soteri korvasi Valverin).';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_sv = 'Uppgifterna om den privata socialvårdens serviceenhet går från Soteri (Tillstånds- och tillsynsverket, tidigare Valvira; Soteri ersatte Valveri) till THL:s kodtjänst, och Kanta känner igen enheten på den OID som kommer därifrån. Punkten uppfylls när hyresgästen har minst en serviceenhet och varje enhets OID ligger under hyresgästens rot-OID.' WHERE code = 'social_welfare_data_valvira' AND guidance_sv = 'Uppgifterna om den privata socialvårdens serviceenhet har anmälts till Valviras register (Soteri ersatte Valveri).';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_en = 'The private social welfare unit''s data passes from Soteri (Finnish Supervisory Agency, formerly Valvira; Soteri replaced Valveri) to THL''s code service, and Kanta knows the unit by the OID it gets there. Met when the tenant has at least one service unit and each unit''s OID lies below the tenant''s root OID.' WHERE code = 'social_welfare_data_valvira' AND guidance_en = 'The private social welfare service unit''s data has been notified to Valvira''s register (Soteri replaced Valveri).';
--> statement-breakpoint
UPDATE prerequisite_type SET responsible_party = 'main_connector' WHERE code = 'security_plan';
--> statement-breakpoint
UPDATE prerequisite_type SET name_fi = 'Pääliittyjän tietoturvasuunnitelma laadittu' WHERE code = 'security_plan' AND name_fi = 'Tietoturvasuunnitelma käytössä';
--> statement-breakpoint
UPDATE prerequisite_type SET name_sv = 'Huvudanslutarens informationssäkerhetsplan upprättad' WHERE code = 'security_plan' AND name_sv = 'Informationssäkerhetsplanen i bruk';
--> statement-breakpoint
UPDATE prerequisite_type SET name_en = 'Main connector''s information security plan in place' WHERE code = 'security_plan' AND name_en = 'Information security plan in place';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_fi = 'Pääliittyjä on laatinut tietoturvasuunnitelman (THL 3/2024, luvut 6.1–6.12), pitää sen ajan tasalla ja tarkistaa sen säännöllisesti (liittymissopimuksen 2 §).' WHERE code = 'security_plan' AND guidance_fi = 'Tietoturvasuunnitelma (THL 3/2024, luvut 6.1–6.12) on laadittu, sitä noudatetaan ja se tarkistetaan säännöllisesti.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_sv = 'Huvudanslutaren har upprättat informationssäkerhetsplanen (THL 3/2024, kapitel 6.1–6.12), håller den aktuell och granskar den regelbundet (anslutningsavtalets 2 §).' WHERE code = 'security_plan' AND guidance_sv = 'Informationssäkerhetsplanen (THL 3/2024, kapitel 6.1–6.12) har upprättats, följs och granskas regelbundet.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_en = 'The main connector has made the information security plan (THL 3/2024, chapters 6.1–6.12), keeps it current and reviews it regularly (agreement §2).' WHERE code = 'security_plan' AND guidance_en = 'The information security plan (THL 3/2024, chapters 6.1–6.12) is in place, followed and reviewed regularly.';
--> statement-breakpoint
UPDATE prerequisite_type SET evidence_kind = 'derived', derived_rule = 'system_certified', renewal_months = NULL WHERE code = 'system_certification';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_fi = 'Pääliittyjällä on vuokralaisen toimialaan sopiva A2- tai A3-luokan järjestelmä (terveydenhuollossa potilastietojärjestelmä, sosiaalihuollossa sosiaalihuollon asiakastietojärjestelmä), ja sen tietoturvallisuuden arviointitodistus on voimassa (uusitaan vähintään 3 vuoden välein). Seurataan pääliittyjän tietojärjestelmärekisteristä: vanhentunut todistus estää tuotantokäytön.' WHERE code = 'system_certification' AND guidance_fi = 'Pääliittyjän A-luokan järjestelmä on sertifioitu, tietoturvallisuuden arviointitodistus on voimassa (uusitaan vähintään 3 vuoden välein) ja järjestelmä on Valviran rekisterissä.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_sv = 'Huvudanslutaren har ett system i klass A2 eller A3 som passar hyresgästens verksamhet (patientdatasystem inom hälso- och sjukvården, klientdatasystem för socialvården inom socialvården), och dess intyg över bedömning av informationssäkerheten är giltigt (förnyas minst vart tredje år). Följs upp i huvudanslutarens register över informationssystem: ett utgånget intyg hindrar produktionsbruk.' WHERE code = 'system_certification' AND guidance_sv = 'Huvudanslutarens system i klass A är certifierat, intyget om informationssäkerhetsbedömning är giltigt (förnyas minst vart tredje år) och systemet finns i Valviras register.';
--> statement-breakpoint
UPDATE prerequisite_type SET guidance_en = 'The main connector has a class A2 or A3 system suited to the tenant''s field (a patient data system in health care, a social welfare client data system in social welfare) whose security assessment certificate is valid (renewed at least every 3 years). Followed in the main connector''s information system registry: an expired certificate rules out production use.' WHERE code = 'system_certification' AND guidance_en = 'The main connector''s class A system is certified, its security assessment certificate is valid (renewed at least every 3 years) and it is in Valvira''s register.';
--> statement-breakpoint
UPDATE checklist_item SET valid_until = NULL, status = CASE WHEN status = 'expired' THEN 'not_started' ELSE status END WHERE type_id IN (SELECT id FROM prerequisite_type WHERE derived_rule IS NOT NULL) AND (valid_until IS NOT NULL OR status = 'expired');
