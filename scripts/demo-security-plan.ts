/**
 * The demo main connector's information-security plan (called from `seedDemo`): several sections
 * described, one requirement carried by the system supplier under its agreement, and one whose
 * review date has passed, so the overview, the dashboard and the reminders have something to show.
 */
import type { Db } from '../src/lib/server/db';
import type { Actor } from '../src/lib/server/actor';
import { config } from '../src/lib/server/config';
import { syncBundledFrameworks } from '../src/lib/server/security-plan/framework-store';
import { MAIN_PLAN, saveRequirement, type PlanEntryInput } from '../src/lib/server/security-plan/plan';
import { addRisk, designateDirector } from '../src/lib/server/security-plan/risks';
import { findUserByEmail } from '../src/lib/server/auth/accounts';
import { addMonths, todayInHelsinki } from '../src/lib/time';

export function seedSecurityPlan(db: Db, admin: Actor, now = new Date()): void {
	syncBundledFrameworks(db, config.securityFrameworksDir);
	const today = todayInHelsinki(now);
	const signer = findUserByEmail(db, 'signer@demo.test')?.id ?? null;
	const entry = (overrides: Partial<PlanEntryInput>): PlanEntryInput => ({
		description: '',
		ownerId: admin.id,
		status: 'described',
		lastReviewedOn: addMonths(today, -2),
		nextReviewOn: null,
		responsibleParty: 'main_connector',
		responsibleName: '',
		agreementReference: '',
		...overrides
	});
	const plan: [string, Partial<PlanEntryInput>][] = [
		[
			'3-1',
			{
				status: 'implemented',
				ownerId: signer,
				description:
					'Vastuut on kirjattu **vastuumatriisiin** (laatukäsikirja, liite 4). Vuokralaisten vastuut sovitaan Kanta-liittymissopimuksessa, järjestelmätoimittajan ylläpitosopimuksessa.'
			}
		],
		['3-3', { description: 'Suunnitelma käydään läpi kerran vuodessa johtoryhmässä ja aina, kun järjestelmä tai toimintatapa muuttuu.' }],
		[
			'5-1',
			{
				status: 'verified',
				description:
					'Suunnitelma säilytetään vain tässä portaalissa; julkinen omavalvontasuunnitelma viittaa siihen mainitsematta sisältöä.'
			}
		],
		[
			'6.1-1',
			{ status: 'implemented', description: 'Tietoturvapolitiikka v3 (hyväksytty johtoryhmässä), intranetissä kohdassa *Tietoturva*.' }
		],
		['6.1-3', { status: 'implemented', description: 'Tietosuojavastaava Tiina Tietosuoja; tehtävänkuva HR-järjestelmässä.' }],
		[
			'6.2-3',
			{
				// The overdue one: last reviewed more than a year ago.
				lastReviewedOn: addMonths(today, -14),
				description: 'Jatkuvuussuunnitelma harjoitellaan vuosittain: katkos potilastietojärjestelmässä ja paperilomakkeet.'
			}
		],
		[
			'6.3-1',
			{
				description:
					'Perehdytysohjelma ja koulutusrekisteri; Kanta-koulutus ennen tunnusten antamista.\n\n- perehdytys\n- vuosittainen kertaus'
			}
		],
		[
			'6.6-2',
			{
				responsibleParty: 'system_supplier',
				responsibleName: 'Demo Potilastieto Oy',
				agreementReference: 'Ylläpitosopimus 2025, liite 2 (muutostenhallinta)',
				description: 'Toimittaja asentaa ja päivittää järjestelmän; me hyväksymme versiot testiympäristössä ennen tuotantoa.'
			}
		],
		[
			'6.7-4',
			{ status: 'implemented', description: 'Lähtijän tunnukset suljetaan viimeisenä työpäivänä; portaalin lähtijätehtävät muistuttavat.' }
		]
	];
	for (const [id, overrides] of plan) {
		const result = saveRequirement(db, admin, MAIN_PLAN, id, entry(overrides), now);
		if (!result.ok) throw new Error(`Demo plan entry ${id} refused: ${JSON.stringify(result)}`);
	}
}

/**
 * A demo tenant's own plan (THL 3/2024: each service provider makes one for its own activity): a few
 * requirements described by its administrator, one risk, its signatory as responsible director. Not
 * shared with the main connector, so only the tenant's own people see it.
 */
export function seedTenantSecurityPlan(db: Db, tenantId: string, now = new Date()): void {
	const adminUser = findUserByEmail(db, 'admin@tenant2.demo.test')!;
	const director = findUserByEmail(db, 'signer@tenant2.demo.test')!;
	const admin: Actor = { id: adminUser.id, label: adminUser.email, ipAddress: '' };
	const owner = { tenantId };
	const today = todayInHelsinki(now);
	const entries: [string, Partial<PlanEntryInput>][] = [
		[
			'6.3-1',
			{
				status: 'implemented',
				description: 'Uusi hoitaja käy Kanta-perehdytyksen ennen kotikäyntejä; kertaus joka kevät henkilöstöpalaverissa.'
			}
		],
		[
			'6.10-1',
			{
				description: 'Kotikäyntien tabletit lukitaan PIN-koodilla, ja kadonneesta laitteesta ilmoitetaan heti esihenkilölle.'
			}
		],
		[
			'6.5-1',
			{
				responsibleParty: 'main_connector',
				responsibleName: 'Demo Terveys Oy',
				agreementReference: 'Kanta-liittymissopimus, 3 §',
				description: 'Asiakastietojärjestelmä on pääliittyjän; se huolehtii sertifioinnista ja päivityksistä.'
			}
		]
	];
	for (const [id, overrides] of entries) {
		const result = saveRequirement(
			db,
			admin,
			owner,
			id,
			{
				description: '',
				ownerId: adminUser.id,
				status: 'described',
				lastReviewedOn: addMonths(today, -1),
				nextReviewOn: null,
				responsibleParty: 'tenant',
				responsibleName: '',
				agreementReference: '',
				...overrides
			},
			now
		);
		if (!result.ok) throw new Error(`Demo tenant plan entry ${id} refused: ${JSON.stringify(result)}`);
	}
	addRisk(
		db,
		admin,
		owner,
		{
			title: 'Tabletti katoaa kotikäynnillä',
			systems: 'Kotihoidon tabletit',
			chapters: ['6.10'],
			likelihood: 'moderate',
			impact: 'high',
			treatment: 'PIN-lukitus, etätyhjennys ja välitön ilmoitus.',
			residual: 'low'
		},
		now
	);
	designateDirector(db, admin, owner, director.id, now);
}
