import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../test-support';
import { fillTemplate, parseTemplate, TEXT_PLACEHOLDERS, type TemplateLanguage, type TemplateValues } from './template';

/**
 * Checks a shipped agreement template against Kela's model agreement (seed 004): every section
 * §1–§21 and Annex 1, every obligation that rests on a value the portal fills in, and the points
 * where an earlier text added, dropped or softened something. docs/agreement-fidelity.md maps the
 * model's obligations to the clauses; this test keeps the three languages of a version honest.
 */

interface LanguageRules {
	/** The section number a `## ` heading opens, or null for a heading that is no section. */
	sectionOf: (heading: string) => string | null;
	phrases: {
		asIfParties: RegExp;
		significantRisk: RegExp;
		higherThreshold: RegExp;
		tenantAndKela: RegExp;
		authority: RegExp;
		formerName: RegExp;
		pharmaceuticalDatabase: RegExp;
		deploymentTest: RegExp;
		emergencySearches: RegExp;
		severalOfficers: RegExp;
		decides: RegExp;
		tenant: RegExp;
		liabilityException: RegExp;
		oneMonth: RegExp;
		otherNoticePrevails: RegExp;
		inWriting: RegExp;
		endsAutomatically: RegExp;
		rescindAtOnce: RegExp;
		dpoAuthorised: RegExp;
		feesForTenant: RegExp;
	};
	/** Words the model does not use for its own terms. */
	forbidden: RegExp[];
}

const numbered = (prefix: RegExp, annex: string) => (heading: string) => {
	const sub = /^(\d+\.\d+)\s/.exec(heading);
	if (sub) return sub[1];
	const main = prefix.exec(heading);
	if (main) return main[1];
	return heading.startsWith(annex) ? 'annex1' : null;
};

const RULES: Record<TemplateLanguage, LanguageRules> = {
	fi: {
		sectionOf: numbered(/^(\d+) §/, 'Liite 1'),
		phrases: {
			asIfParties: /ikään kuin ne olisivat sen osapuolia/,
			significantRisk: /merkittävän riskin/,
			higherThreshold: /vakavasti vaarant/,
			tenantAndKela: /vuokralaiselle ja Kelalle/,
			authority: /Lupa- ja valvontavirasto/,
			formerName: /aiemmin Valvira/g,
			pharmaceuticalDatabase: /Lääketietokan/,
			deploymentTest: /käyttöönottoko/,
			emergencySearches: /hätähak/,
			severalOfficers: /yhden tai useamman tietosuojavastaavan/,
			decides: /Pääliittyjä päättää, ottaako se vastaan/,
			tenant: /vuokralai/i,
			liabilityException: /tahallis|törkeä/i,
			oneMonth: /yksi \(1\) kuukausi/,
			otherNoticePrevails: /toisenlaisesta irtisanomisajasta/,
			inWriting: /kirjallisesti/,
			endsAutomatically: /päättyy automaattisesti/,
			rescindAtOnce: /purkaa sopimus välittömästi/,
			dpoAuthorised: /valtuuttaa tietosuojavastaavan/,
			feesForTenant: /myös vuokralaisen osalta/
		},
		forbidden: [/käyttöönottotest/]
	},
	sv: {
		sectionOf: numbered(/^(\d+) §/, 'Bilaga 1'),
		phrases: {
			asIfParties: /som om de vore parter i det/,
			significantRisk: /betydande risk/,
			higherThreshold: /allvarligt äventyra/,
			tenantAndKela: /hyresgästen och FPA/,
			authority: /Tillstånds- och tillsynsverket/,
			formerName: /tidigare Valvira/g,
			pharmaceuticalDatabase: /Läkemedelsdatabasen/,
			deploymentTest: /ibruktagningsprov/,
			emergencySearches: /nödsökningar/,
			severalOfficers: /ett eller flera dataskyddsombud/,
			decides: /Huvudanslutaren beslutar om den tar emot/,
			tenant: /hyresgäst/i,
			liabilityException: /uppsåt|grov vårdslöshet/i,
			oneMonth: /en \(1\) månad/,
			otherNoticePrevails: /annan uppsägningstid/,
			inWriting: /skriftligt/,
			endsAutomatically: /upphör automatiskt/,
			rescindAtOnce: /häva avtalet med omedelbar verkan/,
			dpoAuthorised: /befullmäktigar dataskyddsombudet/,
			feesForTenant: /också för hyresgästens del/
		},
		forbidden: [/handikapp/i, /driftsättningstest/, /sökningar i nödsituationer/]
	},
	en: {
		sectionOf: numbered(/^Section (\d+)\s/, 'Annex 1'),
		phrases: {
			asIfParties: /as if they were parties to it/,
			significantRisk: /significant risk/,
			higherThreshold: /seriously endanger the safety/,
			tenantAndKela: /the tenant and Kela/,
			authority: /Finnish Supervisory Agency/,
			formerName: /formerly Valvira/g,
			pharmaceuticalDatabase: /Pharmaceutical Database/,
			deploymentTest: /deployment test \(käyttöönottokoe\)/,
			emergencySearches: /emergency searches/,
			severalOfficers: /one or more data protection officers/,
			decides: /The main connector decides whether it receives/,
			tenant: /tenant/i,
			liabilityException: /intentional|gross negligence/i,
			oneMonth: /one \(1\) month/,
			otherNoticePrevails: /different notice period/,
			inWriting: /in writing/,
			endsAutomatically: /ends automatically/,
			rescindAtOnce: /rescind this agreement with immediate effect/,
			dpoAuthorised: /authorises the data protection officer/,
			feesForTenant: /including the tenant's share/
		},
		forbidden: [/handicap/i]
	}
};

const MODEL_SECTIONS = [...Array.from({ length: 21 }, (_, i) => String(i + 1)), '4.1', '4.2', '17.1', '17.2', 'annex1'];

/** Which section each designated person or choice must appear in (the model's own place for it). */
const PLACEHOLDER_SECTIONS: Record<string, string> = {
	'main.name': '1',
	'main.businessId': '1',
	'tenant.name': '1',
	'tenant.businessId': '1',
	'main.soteri': '1',
	'tenant.soteri': '1',
	'contact.disturbance': '4.1',
	'contact.archivist': '12',
	'contact.physician': '15',
	'contact.dpo': '17',
	'notice.months': '20',
	place: '21',
	date: '21'
};

interface Choices {
	forwarded: boolean;
	customNotice: boolean;
	prescription: boolean;
}

/** The filled text of each section, with every value shown as `[its name]`. */
function sectionsOf(source: string, language: TemplateLanguage, choices: Choices): Map<string, string> {
	const values: TemplateValues = Object.fromEntries(TEXT_PLACEHOLDERS.map((name) => [name, `[${name}]`]));
	values['renewals.forwarded'] = choices.forwarded;
	values['notice.custom'] = choices.customNotice;
	values['uses.prescription'] = choices.prescription;
	const { blocks } = fillTemplate(parseTemplate(source), values);
	const sections = new Map<string, string>();
	let current: string | null = null;
	for (const block of blocks) {
		if (block.type === 'heading') {
			current = RULES[language].sectionOf(block.text);
			if (current) sections.set(current, '');
			continue;
		}
		if (!current) continue;
		const text = block.type === 'paragraph' ? block.text : block.type === 'list' ? block.items.join(' ') : '{{annex1}}';
		sections.set(current, `${sections.get(current)} ${text}`.trim());
	}
	return sections;
}

/** Every way this template departs from the model; empty when it says what the model says. */
function fidelityProblems(source: string, language: TemplateLanguage): string[] {
	const problems: string[] = [];
	const rules = RULES[language];
	const p = rules.phrases;
	const variants: Choices[] = [
		{ forwarded: true, customNotice: false, prescription: true },
		{ forwarded: false, customNotice: true, prescription: true },
		{ forwarded: false, customNotice: false, prescription: false }
	];
	const [forwarded, notForwarded, noPrescription] = variants.map((choices) => sectionsOf(source, language, choices));
	/** A section with its subsections (§4 with 4.1 and 4.2), so a text without them is judged on substance too. */
	const textOf = (section: string, sections = forwarded) =>
		[...sections]
			.filter(([key]) => key === section || key.startsWith(`${section}.`))
			.map(([, text]) => text)
			.join(' ');
	const need = (section: string, pattern: RegExp, what: string, sections = forwarded) => {
		if (!pattern.test(textOf(section, sections))) problems.push(`§${section}: ${what}`);
	};

	for (const section of MODEL_SECTIONS) if (!forwarded.has(section)) problems.push(`§${section}: heading missing`);
	for (const [name, section] of Object.entries(PLACEHOLDER_SECTIONS)) {
		const sections = name === 'notice.months' ? notForwarded : forwarded;
		if (!(sections.get(section) ?? '').includes(`[${name}]`)) problems.push(`§${section}: does not print ${name}`);
	}
	if (!(forwarded.get('annex1') ?? '').includes('{{annex1}}')) problems.push('Annex 1: no table of the services');

	need('2', p.asIfParties, 'tenant does not answer for its people as if they were parties');
	need('3', p.pharmaceuticalDatabase, 'Pharmaceutical Database not named as a support service');
	need('4', p.tenantAndKela, 'main connector does not inform the tenant and Kela of disturbances');
	need('4', p.significantRisk, 'reporting threshold is not "significant risk"');
	if (p.higherThreshold.test(textOf('4'))) problems.push('§4: a higher reporting threshold than the model');
	need('4', p.authority, 'supervisory authority not named by its current name');
	need('12', p.deploymentTest, 'deployment test not named by its official term');
	need('17', p.severalOfficers, 'does not allow several data protection officers');
	need('17.1', p.emergencySearches, 'emergency searches not named by their official term');
	need('17', p.dpoAuthorised, 'tenant does not authorise the data protection officer', noPrescription);
	need('18', p.feesForTenant, "main connector does not pay the tenant's share of the fees");
	if (p.liabilityException.test(forwarded.get('19') ?? '')) problems.push('§19: an exception the model does not have');
	need('20', p.oneMonth, 'notice period of one month missing');
	need('20', p.otherNoticePrevails, "another agreement's notice period does not prevail");
	need('20', p.inWriting, 'notice is not in writing');
	need('20', p.endsAutomatically, 'does not end automatically with the service-production agreement');
	need('20', p.rescindAtOnce, 'main connector cannot rescind at once');

	// §15 and §17.2 hold whether or not the tenant uses the prescription service (the model has no
	// such condition); when the main connector does not receive requests, the model says nothing
	// about where they go.
	need('15', p.decides, 'does not say the main connector decides', noPrescription);
	const noReceive = notForwarded.get('15') ?? '';
	if (rules.phrases.tenant.test(noReceive)) problems.push('§15: the no-receive branch adds a route the model does not have');
	if (noReceive.includes('[contact.physician]')) problems.push('§15: the no-receive branch names the responsible physician');

	const whole = [...forwarded.values(), ...notForwarded.values(), ...noPrescription.values()].join(' ');
	const valvira = whole.match(/Valvira/g)?.length ?? 0;
	const former = whole.match(p.formerName)?.length ?? 0;
	if (valvira !== former) problems.push('Valvira named as if it still existed');
	for (const word of rules.forbidden) if (word.test(whole)) problems.push(`term the model does not use: ${word.source}`);
	return problems;
}

const read = (version: number, language: TemplateLanguage) =>
	readFileSync(join(TEMPLATES_DIR, `kanta-model-v${version}.${language}.txt`), 'utf8');
const LANGUAGES: TemplateLanguage[] = ['fi', 'sv', 'en'];

describe('agreement template v2 against the model agreement', () => {
	it.each(LANGUAGES)('v2 (%s) has every section, every placeholder-backed obligation and none of the old departures', (language) => {
		expect(fidelityProblems(read(2, language), language)).toEqual([]);
	});

	it.each(LANGUAGES)('the same check rejects v1 (%s) for what the lawyer found', (language) => {
		const problems = fidelityProblems(read(1, language), language);
		expect(problems).toEqual(
			expect.arrayContaining([
				'§2: tenant does not answer for its people as if they were parties',
				'§4.1: heading missing',
				'§4: reporting threshold is not "significant risk"',
				'§4: a higher reporting threshold than the model',
				'§15: the no-receive branch adds a route the model does not have',
				'§19: an exception the model does not have',
				'Valvira named as if it still existed'
			])
		);
	});

	it.each(LANGUAGES)('v2 (%s) prints the same clauses in the same order as the other languages', (language) => {
		const order = (lang: TemplateLanguage) => [
			...sectionsOf(read(2, lang), lang, { forwarded: true, customNotice: false, prescription: true }).keys()
		];
		expect(order(language)).toEqual(order('fi'));
	});
});
