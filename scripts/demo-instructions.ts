/**
 * Demo instructions and training records (called at the end of `seedDemo`): one instruction per
 * category in Finnish and Swedish, one with a material second version, acknowledgements from
 * some but not all staff, and training records that are valid, expired or awaiting confirmation.
 */
import type { Db } from '../src/lib/server/db';
import type { Actor } from '../src/lib/server/actor';
import type { InstructionCategory, InstructionAudience } from '../src/lib/domain';
import {
	acknowledge,
	createInstruction,
	currentVersion,
	publishVersion,
	type InstructionContent
} from '../src/lib/server/instructions/instructions';
import { addTrainingRecord, listModules } from '../src/lib/server/training/training';
import { findUserByEmail } from '../src/lib/server/auth/accounts';
import { toSessionUser } from '../src/lib/server/auth/session';
import { DAY_MS, todayInHelsinki } from '../src/lib/time';

interface DemoInstruction {
	category: InstructionCategory;
	audience?: InstructionAudience;
	requiresAck?: boolean;
	content: InstructionContent;
}

const INSTRUCTIONS: DemoInstruction[] = [
	{
		category: 'kanta_terms',
		content: {
			titleFi: 'Kanta-palvelujen käyttöehdot',
			bodyFi:
				'Käytämme Kanta-palveluja **Kelan käyttöehtojen** ja palvelukuvausten mukaisesti. Ehtojen muutoksista kerromme tällä sivulla ennen niiden voimaantuloa.\n\nLue ajantasaiset ehdot osoitteesta [kanta.fi](https://www.kanta.fi/).',
			titleSv: 'Användarvillkor för Kanta-tjänsterna',
			bodySv:
				'Vi använder Kanta-tjänsterna enligt **FPA:s användarvillkor** och tjänstebeskrivningar. Ändringar i villkoren meddelar vi på den här sidan innan de träder i kraft.\n\nLäs de aktuella villkoren på [kanta.fi](https://www.kanta.fi/sv/).',
			titleEn: null,
			bodyEn: null
		}
	},
	{
		category: 'technical_environment',
		audience: 'tenant_admins',
		content: {
			titleFi: 'Tekninen ympäristö ja työasemat',
			bodyFi:
				'Potilastietojärjestelmää käytetään vain pääliittyjän hyväksymiltä työasemilta. Käyttöjärjestelmän ja selaimen päivitykset asennetaan viikon kuluessa niiden julkaisusta.\n\n- Älä asenna kortinlukijan ajureita itse.\n- Ilmoita uusista työasemista pääliittyjälle.',
			titleSv: 'Teknisk miljö och arbetsstationer',
			bodySv:
				'Patientdatasystemet används endast från arbetsstationer som huvudanslutaren har godkänt. Uppdateringar av operativsystem och webbläsare installeras inom en vecka efter att de publicerats.\n\n- Installera inte kortläsarens drivrutiner själv.\n- Meddela huvudanslutaren om nya arbetsstationer.',
			titleEn: null,
			bodyEn: null
		}
	},
	{
		category: 'card_handling',
		content: {
			titleFi: 'Varmennekortin käsittely',
			bodyFi:
				'Varmennekortti on henkilökohtainen. Älä luovuta korttia tai PIN-koodia kenellekään.\n\nPoista kortti lukijasta aina, kun poistut työasemalta.',
			titleSv: 'Hantering av certifikatkortet',
			bodySv:
				'Certifikatkortet är personligt. Lämna aldrig ut kortet eller PIN-koden till någon.\n\nTa alltid ut kortet ur läsaren när du lämnar arbetsstationen.',
			titleEn: 'Handling your certificate card',
			bodyEn:
				'Your certificate card is personal. Never hand over the card or its PIN to anyone.\n\nAlways remove the card from the reader when you leave the workstation.'
		}
	},
	{
		category: 'client_data',
		content: {
			titleFi: 'Asiakastietojen käsittely',
			bodyFi:
				'Avaa asiakkaan tiedot vain, kun osallistut hänen hoitoonsa tai palveluunsa. Kaikesta käytöstä jää loki, jota valvotaan säännöllisesti.\n\nTietosuojaa koskevissa kysymyksissä ota yhteyttä tietosuojavastaavaan: {{contact.dpo}}.',
			titleSv: 'Behandling av klientuppgifter',
			bodySv:
				'Öppna klientens uppgifter endast när du deltar i hens vård eller service. All användning loggas och loggarna granskas regelbundet.\n\nKontakta dataskyddsombudet i frågor om dataskydd: {{contact.dpo}}.',
			titleEn: null,
			bodyEn: null
		}
	},
	{
		category: 'training_needs',
		content: {
			titleFi: 'Koulutusvaatimukset',
			bodyFi:
				'Jokaisen Kanta-palveluja käyttävän on suoritettava *Kanta-palvelujen käyttö* -koulutus ennen käytön aloittamista. Tietosuojakoulutus uusitaan vuosittain.',
			titleSv: 'Utbildningskrav',
			bodySv:
				'Alla som använder Kanta-tjänsterna ska genomgå utbildningen *Användning av Kanta-tjänsterna* innan de börjar använda dem. Dataskyddsutbildningen förnyas varje år.',
			titleEn: null,
			bodyEn: null
		}
	},
	{
		category: 'security_policy',
		content: {
			titleFi: 'Tietoturvapolitiikka',
			bodyFi:
				'Noudatamme pääliittyjän tietoturvapolitiikkaa. Epäilty tietoturvaloukkaus ilmoitetaan heti häiriöyhteyshenkilölle: {{contact.disturbance}}.\n\nSalasanoja ei kirjoiteta muistiin eikä jaeta.',
			titleSv: 'Informationssäkerhetspolicy',
			bodySv:
				'Vi följer huvudanslutarens informationssäkerhetspolicy. En misstänkt säkerhetsincident anmäls genast till kontaktpersonen vid störningar: {{contact.disturbance}}.\n\nLösenord skrivs inte ner och delas inte.',
			titleEn: null,
			bodyEn: null
		}
	},
	{
		category: 'other',
		requiresAck: false,
		content: {
			titleFi: 'Yhteystiedot ja tuki',
			bodyFi:
				'Teknisissä ongelmissa ota yhteyttä pääliittyjän tukeen arkisin klo 8–16. Kiireellisissä häiriöissä soita häiriöyhteyshenkilölle.',
			titleSv: 'Kontaktuppgifter och support',
			bodySv:
				'Vid tekniska problem kontaktar du huvudanslutarens support vardagar kl. 8–16. Vid brådskande störningar ringer du kontaktpersonen vid störningar.',
			titleEn: null,
			bodyEn: null
		}
	}
];

/** The second, material version of the card instruction: a new rule about lost cards. */
const CARD_V2: InstructionContent = {
	titleFi: 'Varmennekortin käsittely',
	bodyFi:
		'Varmennekortti on henkilökohtainen. Älä luovuta korttia tai PIN-koodia kenellekään.\n\nPoista kortti lukijasta aina, kun poistut työasemalta.\n\n**Kadonnut kortti suljetaan heti** soittamalla DVV:n sulkupalveluun, ja katoamisesta ilmoitetaan pääkäyttäjälle samana päivänä.',
	titleSv: 'Hantering av certifikatkortet',
	bodySv:
		'Certifikatkortet är personligt. Lämna aldrig ut kortet eller PIN-koden till någon.\n\nTa alltid ut kortet ur läsaren när du lämnar arbetsstationen.\n\n**Ett borttappat kort spärras genast** genom att ringa DVV:s spärrtjänst, och förlusten anmäls till administratören samma dag.',
	titleEn: 'Handling your certificate card',
	bodyEn:
		'Your certificate card is personal. Never hand over the card or its PIN to anyone.\n\nAlways remove the card from the reader when you leave the workstation.\n\n**A lost card is revoked at once** by calling the DVV revocation service, and the loss is reported to your administrator the same day.'
};

export async function seedInstructions(db: Db, admin: Actor): Promise<void> {
	const now = Date.now();
	const daysAgo = (days: number) => new Date(now - days * DAY_MS);
	const client = { ipAddress: '', userAgent: 'demo-seed' };
	const ack = (email: string, instructionId: string, days: number, locale = 'fi') => {
		const person = toSessionUser(db, findUserByEmail(db, email)!);
		if (!acknowledge(db, person, instructionId, currentVersion(db, instructionId)!.id, locale, client, daysAgo(days)))
			throw new Error(`Demo acknowledgement failed for ${email}`);
	};

	const ids = new Map<InstructionCategory, string>();
	for (const demo of INSTRUCTIONS) {
		const id = createInstruction(
			db,
			admin,
			{
				category: demo.category,
				allTenants: true,
				tenantIds: [],
				audience: demo.audience ?? 'all_staff',
				requiresAck: demo.requiresAck ?? true
			},
			demo.content,
			daysAgo(40)
		);
		ids.set(demo.category, id);
	}

	// Tenant 1's first staff member has read everything; the second only the card instruction's first version.
	const card = ids.get('card_handling')!;
	for (const category of ['kanta_terms', 'card_handling', 'client_data', 'training_needs', 'security_policy'] as const)
		ack('staff1@tenant1.demo.test', ids.get(category)!, 35);
	ack('staff2@tenant1.demo.test', card, 34);
	ack('admin@tenant1.demo.test', ids.get('technical_environment')!, 33);
	ack('staff1@tenant2.demo.test', ids.get('kanta_terms')!, 30);
	ack('staff1@tenant2.demo.test', card, 30);
	ack('signer@tenant3.demo.test', ids.get('client_data')!, 20, 'sv');

	// The card instruction gains a material rule: acknowledgements of version 1 no longer count.
	publishVersion(
		db,
		admin,
		card,
		{ material: true, changeSummary: 'Kadonneen kortin sulkeminen ja ilmoittaminen / Spärrning och anmälan av borttappat kort' },
		CARD_V2,
		daysAgo(10)
	);
	ack('staff1@tenant1.demo.test', card, 5);

	seedTrainingRecords(db, admin, now);
}

/** Valid completions, one expired one, and one declared by the person and awaiting confirmation. */
function seedTrainingRecords(db: Db, admin: Actor, now: number): void {
	const modules = new Map(listModules(db).map((m) => [m.code, m.id]));
	const day = (daysAgo: number) => todayInHelsinki(new Date(now - daysAgo * DAY_MS));
	const record = (email: string, code: string, daysAgo: number, confirmed = true) => {
		const person = findUserByEmail(db, email)!;
		const actor: Actor = confirmed ? admin : { id: person.id, label: person.email, ipAddress: '' };
		addTrainingRecord(db, actor, { moduleId: modules.get(code)!, userId: person.id, completedOn: day(daysAgo) }, confirmed);
	};
	record('staff1@tenant1.demo.test', 'kanta_use', 200);
	record('staff1@tenant1.demo.test', 'data_protection', 90);
	record('staff2@tenant1.demo.test', 'kanta_use', 300);
	record('staff2@tenant1.demo.test', 'data_protection', 400); // expired: valid for 12 months
	record('admin@tenant1.demo.test', 'data_protection', 30);
	record('staff2@tenant2.demo.test', 'kanta_use', 60);
	record('staff1@tenant2.demo.test', 'kanta_use', 7, false); // declared, awaiting confirmation
}
