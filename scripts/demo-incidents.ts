/**
 * Demo disturbance reports and a notice (called at the end of `seedDemo`): a system disturbance
 * that has been resolved, a suspected breach noticed 30 hours ago still waiting for its decision
 * (so the countdown and the 24-hour reminder show), and an active notice to every tenant.
 */
import type { Db } from '../src/lib/server/db';
import type { Actor } from '../src/lib/server/actor';
import { addAction, createReport, setStatus, type CreateResult } from '../src/lib/server/incidents/incidents';
import { toSessionUser } from '../src/lib/server/auth/session';
import { createAnnouncement } from '../src/lib/server/incidents/announcements';
import { findUserByEmail } from '../src/lib/server/auth/accounts';

const HOUR_MS = 3_600_000;

/** A tenant's people always report for their own tenant: the domain fills this in. */
const OWN_TENANT = { tenantIds: [], mainConnector: false };

function filed(result: CreateResult) {
	if (!result.ok) throw new Error(`Demo report refused: ${result.reason}`);
	return result.report;
}

function reporter(db: Db, email: string) {
	const person = findUserByEmail(db, email);
	if (!person) throw new Error(`No demo person ${email}`);
	return { person, actor: { id: person.id, label: person.email, ipAddress: '' } satisfies Actor };
}

export async function seedIncidents(db: Db, admin: Actor, now = new Date()): Promise<void> {
	const ago = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);

	const first = reporter(db, 'staff1@tenant1.demo.test');
	const disturbance = filed(
		await createReport(
			db,
			first.actor,
			first.person,
			{
				kind: 'system_disturbance',
				noticedAt: ago(10 * 24),
				description: 'Potilastietojärjestelmä ei avautunut aamulla klo 8–9; kirjaukset tehtiin paperille ja siirrettiin myöhemmin.',
				affected: 'Jyväskylän toimipisteen vastaanotto',
				reporterName: first.person.name,
				reporterContact: `${first.person.email}, 040 100 2000`,
				concerns: OWN_TENANT,
				jointServices: []
			},
			ago(10 * 24 - 0.5)
		)
	);
	setStatus(db, admin, disturbance.id, 'investigating', ago(10 * 24 - 1));
	const adminPerson = findUserByEmail(db, admin.label);
	if (!adminPerson) throw new Error(`No demo person ${admin.label}`);
	addAction(
		db,
		admin,
		toSessionUser(db, adminPerson),
		disturbance.id,
		'Järjestelmätoimittaja käynnisti sovelluspalvelimen uudelleen; syy oli täyttynyt levy.',
		ago(10 * 24 - 2)
	);
	setStatus(db, admin, disturbance.id, 'resolved', ago(9 * 24));

	const second = reporter(db, 'staff1@tenant2.demo.test');
	filed(
		await createReport(
			db,
			second.actor,
			second.person,
			{
				kind: 'data_breach',
				noticedAt: ago(30),
				description:
					'Asiakkaan käyntiyhteenveto lähti sähköpostilla väärälle vastaanottajalle. Vastaanottaja ilmoitti asiasta ja kertoi poistaneensa viestin.',
				affected: 'Yksi kotihoidon asiakas',
				reporterName: second.person.name,
				reporterContact: `${second.person.email}, 050 300 4000`,
				concerns: OWN_TENANT,
				jointServices: []
			},
			ago(29)
		)
	);

	await createAnnouncement(
		db,
		admin,
		{
			title: 'Kanta-palvelujen huoltokatko / Serviceavbrott i Kanta-tjänsterna',
			body: 'Reseptikeskus ja Potilastiedon arkisto eivät ole käytettävissä sunnuntaina klo 22–24 Kelan huoltotöiden vuoksi. Laadi reseptit katkon aikana varamenettelyn mukaisesti.\n\nRecepttjänsten och Patientdataarkivet är inte tillgängliga på söndag kl. 22–24 på grund av FPA:s underhållsarbete.',
			allTenants: true,
			tenantIds: []
		},
		ago(2)
	);
}
