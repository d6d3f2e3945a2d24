import { describe, expect, it } from 'vitest';
import { checkTemplate, fillTemplate, missingValues, MissingValuesError, parseTemplate, TemplateError } from './template';

const header = `---
template: kanta-model
version: 2
language: fi
title: Sopimus Kanta-palveluista
valid-from: 2026-01-01
replaces: 1
---
`;

const body = `## 1 § Osapuolet
Pääliittyjä {{main.name}} ({{main.businessId}}) ja vuokralainen
{{tenant.name}}.

## 15 § Uusimispyynnöt
{{#if uses.prescription}}Pyynnöt {{#if renewals.forwarded}}välittää {{contact.physician}}{{else}}menevät suoraan vuokralaiselle{{/if}}.{{else}}Ei sovelleta.{{/if}}

- ensimmäinen kohta
- toinen kohta

## Liite 1
{{annex1}}
`;

const values = {
	'main.name': 'Demo Terveys Oy',
	'main.businessId': '2617416-4',
	'tenant.name': 'Hammaslääkäri Ärräpää',
	'contact.physician': 'Lauri Lääkäri'
};

describe('parseTemplate', () => {
	it('reads the header', () => {
		const t = parseTemplate(header + body);
		expect(t.header).toEqual({
			template: 'kanta-model',
			version: 2,
			language: 'fi',
			title: 'Sopimus Kanta-palveluista',
			validFrom: '2026-01-01',
			replaces: 1
		});
	});

	it('refuses an unknown placeholder and names its line', () => {
		const error = (() => {
			try {
				parseTemplate(header + body + '\nHei {{tenant.nmae}}\n');
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(TemplateError);
		expect((error as TemplateError).problems).toEqual([
			{ code: 'unknown_placeholder', detail: 'unknown placeholder "{{tenant.nmae}}"', line: 22 }
		]);
	});

	it('refuses unknown conditions, unclosed and stray tags, and a missing header', () => {
		expect(() => parseTemplate(header + '{{#if weather.sunny}}x{{/if}}{{annex1}}')).toThrow(/unknown condition "weather.sunny"/);
		expect(() => parseTemplate(header + '{{#if uses.kelain}}x{{annex1}}')).toThrow(/never closed/);
		expect(() => parseTemplate(header + 'x{{/if}}{{annex1}}')).toThrow(/without an/);
		expect(() => parseTemplate(header + 'x{{else}}{{annex1}}')).toThrow(/outside an/);
		expect(() => parseTemplate(header + '{{ tenant.name {{annex1}}')).toThrow(TemplateError);
		expect(() => parseTemplate('## 1 §\n{{annex1}}')).toThrow(/header/);
		expect(() => parseTemplate(header.replace('language: fi', 'language: de') + body)).toThrow(/language must be fi, sv or en/);
		expect(() => parseTemplate(header + 'no annex')).toThrow(/annex1/);
	});
});

describe('parseTemplate on hostile input', () => {
	const header = '---\ntemplate: t\nversion: 1\nlanguage: fi\ntitle: T\nvalid-from: 2026-01-01\nreplaces: -\n---\n';

	it('reports an unclosed "{{" followed by 200 000 spaces as an unmatched tag', () => {
		expect(checkTemplate(`${header}{{annex1}}\n{{${' '.repeat(200_000)}`)).toEqual({
			ok: false,
			problems: [{ code: 'bad_tag', detail: 'unmatched "{{" or "}}"' }]
		});
	});

	it('names the right line for each of 40 000 tags on many lines', () => {
		const body = '{{annex1}}\n' + '{{tenant.name}} x\n'.repeat(40_000) + '{{nope}}\n';
		const result = checkTemplate(header + body);
		expect(result).toEqual({
			ok: false,
			problems: [{ code: 'unknown_placeholder', detail: 'unknown placeholder "{{nope}}"', line: 9 + 1 + 40_000 }]
		});
	});
});

describe('fillTemplate', () => {
	const template = parseTemplate(header + body);

	it('fills placeholders and turns the text into headings, paragraphs, lists and the annex', () => {
		const { title, blocks } = fillTemplate(template, { ...values, 'uses.prescription': true, 'renewals.forwarded': true });
		expect(title).toBe('Sopimus Kanta-palveluista');
		expect(blocks).toEqual([
			{ type: 'heading', text: '1 § Osapuolet' },
			{ type: 'paragraph', text: 'Pääliittyjä Demo Terveys Oy (2617416-4) ja vuokralainen Hammaslääkäri Ärräpää.' },
			{ type: 'heading', text: '15 § Uusimispyynnöt' },
			{ type: 'paragraph', text: 'Pyynnöt välittää Lauri Lääkäri.' },
			{ type: 'list', items: ['ensimmäinen kohta', 'toinen kohta'] },
			{ type: 'heading', text: 'Liite 1' },
			{ type: 'annex1' }
		]);
	});

	it('takes the else branches when a condition is false', () => {
		const direct = fillTemplate(template, { ...values, 'uses.prescription': true });
		expect(direct.blocks[3]).toEqual({ type: 'paragraph', text: 'Pyynnöt menevät suoraan vuokralaiselle.' });
		const none = fillTemplate(template, { ...values });
		expect(none.blocks[3]).toEqual({ type: 'paragraph', text: 'Ei sovelleta.' });
	});

	it('needs a value only where one is printed', () => {
		const { 'contact.physician': _unused, ...withoutPhysician } = values;
		expect(() => fillTemplate(template, withoutPhysician)).not.toThrow();
		expect(() => fillTemplate(template, { ...withoutPhysician, 'uses.prescription': true, 'renewals.forwarded': true })).toThrow(
			MissingValuesError
		);
	});

	it('lists every missing value and never prints a blank', () => {
		try {
			fillTemplate(template, { 'main.name': '  ', 'tenant.name': 'X' });
			expect.unreachable();
		} catch (error) {
			expect((error as MissingValuesError).missing).toEqual(['main.businessId', 'main.name']);
		}
	});

	it('missingValues names the same gaps as filling, without writing the text', () => {
		const { 'contact.physician': _unused, ...withoutPhysician } = values;
		for (const tried of [
			values,
			withoutPhysician,
			{ ...withoutPhysician, 'uses.prescription': true, 'renewals.forwarded': true },
			{ 'main.name': '  ', 'tenant.name': 'X' }
		]) {
			let expected: string[] = [];
			try {
				fillTemplate(template, tried);
			} catch (error) {
				expected = (error as MissingValuesError).missing;
			}
			expect(missingValues(template, tried)).toEqual(expected);
		}
		expect(missingValues(template, { 'main.name': '  ', 'tenant.name': 'X' })).toEqual(['main.businessId', 'main.name']);
	});

	it('keeps values on one line and out of the template syntax', () => {
		const { blocks } = fillTemplate(template, { ...values, 'tenant.name': 'Evil\n## 99 § Injected {{main.name}}' });
		expect(blocks[1]).toEqual({
			type: 'paragraph',
			text: 'Pääliittyjä Demo Terveys Oy (2617416-4) ja vuokralainen Evil ## 99 § Injected main.name.'
		});
		expect(blocks.filter((b) => b.type === 'heading')).toHaveLength(3);
	});
});

describe('previewTemplate', () => {
	it('shows every placeholder by name and every conditional part', async () => {
		const { previewTemplate } = await import('./template');
		const { blocks } = previewTemplate(parseTemplate(header + body));
		expect(blocks[1]).toEqual({ type: 'paragraph', text: 'Pääliittyjä [main.name] ([main.businessId]) ja vuokralainen [tenant.name].' });
		expect(blocks[3]).toEqual({ type: 'paragraph', text: 'Pyynnöt välittää [contact.physician].' });
	});
});
