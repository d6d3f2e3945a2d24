import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAgreementPdf, type AgreementPdfInput, type Block } from './pdf';

const dir = mkdtempSync(join(tmpdir(), 'liitos-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function write(bytes: Uint8Array): string {
	const file = join(dir, `doc-${++fileCount}.pdf`);
	writeFileSync(file, bytes);
	return file;
}

function pdftotext(file: string, args: string[] = []): string {
	const result = spawnSync('/usr/bin/pdftotext', [...args, file, '-'], { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr}`);
	return result.stdout;
}

function pageText(file: string, page: number): string {
	return pdftotext(file, ['-f', String(page), '-l', String(page)]);
}

/** Collapses whitespace so wrapped lines compare equal to the source sentence. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

const LONG =
	'Palveluntuottaja vastaa siitä, että Kanta-palveluihin liitetty tietojärjestelmä täyttää Kelan ja THL:n ' +
	'määräykset. Osapuolet sitoutuvat noudattamaan tietosuoja-asetusta (EU 2016/679) sekä lakia sosiaali- ja ' +
	'terveystietojen käsittelystä (703/2023) § 12–14. Liittymismaksu on 1 250,00 € vuodessa… ';

const AUDIT_EVENTS = Array.from({ length: 15 }, (_, i) => ({
	at: `2026-03-${String(i + 1).padStart(2, '0')} 09:${String(i * 3).padStart(2, '0')}`,
	actor: i % 2 ? 'Åsa Öberg (Ålands hälso- och sjukvård)' : 'Äijälä Matti',
	event: `Tapahtuma ${i + 1}: sopimuksen tila päivitetty – tarkistettu`
}));

function sampleAgreement(overrides: Partial<AgreementPdfInput> = {}): AgreementPdfInput {
	return {
		agreementId: '3f2a9c1e-7b4d-4c1a-9e55-0d6f2b8a1c77',
		language: 'fi',
		title: 'Liittymissopimus Kanta-palveluihin – Äänekosken hyvinvointipalvelut Oy',
		blocks: [
			{ type: 'heading', text: '1 § Sopimuksen tarkoitus' },
			{ type: 'paragraph', text: LONG.repeat(3) },
			{ type: 'heading', text: '2 § Osapuolten velvollisuudet' },
			{ type: 'paragraph', text: LONG.repeat(2) },
			{
				type: 'list',
				items: [
					'Ylläpitää käyttövaltuusrekisteriä ja lokitietoja.',
					'Ilmoittaa tietoturvapoikkeamista viipymättä ÅÄÖ-vastuuhenkilölle. ' + LONG,
					'Käyttää vain hyväksyttyjä tietojärjestelmiä.'
				]
			},
			{ type: 'heading', text: '3 § Liite 1: käyttöönotettavat palvelut' },
			{ type: 'annex1' },
			{ type: 'heading', text: '4 § Voimassaolo' },
			{ type: 'paragraph', text: 'Sopimus on voimassa toistaiseksi. Tunniste: ' + 'X'.repeat(160) + ' loppuu.' }
		],
		annex1: {
			columns: ['Kanta service', 'Code'],
			rows: Array.from({ length: 10 }, (_, i) => [`Potilastiedon arkisto, palvelu ${i + 1} (Åland)`, `KANTA-${100 + i}`])
		},
		footer: 'Sopimus 3f2a9c1e · malli kanta-model v1 (fi)',
		pageLabel: (x, y) => `sivu ${x} / ${y}`,
		signaturePage: {
			heading: 'Allekirjoitukset',
			labels: {
				party: 'Osapuoli',
				name: 'Nimi',
				title: 'Asema',
				organisation: 'Organisaatio',
				signedAt: 'Allekirjoitettu',
				method: 'Menetelmä'
			},
			signatures: [
				{
					party: 'Palveluntuottaja',
					name: 'Äijälä Matti',
					title: 'Toimitusjohtaja',
					organisation: 'Äänekosken hyvinvointipalvelut Oy',
					signedAt: '2026-03-20 14:05',
					method: 'Liitos-portaali, vahva tunnistautuminen'
				},
				{
					party: 'Liittäjä',
					name: 'Åsa Öberg',
					title: 'Överläkare',
					organisation: 'Ålands hälso- och sjukvård',
					signedAt: '2026-03-21 08:30',
					method: 'Liitos-portaali'
				}
			]
		},
		auditPage: { heading: 'Tapahtumaloki', labels: { at: 'Aika', actor: 'Tekijä', event: 'Tapahtuma' }, events: AUDIT_EVENTS },
		metadata: {
			subject: 'Kanta-liittymissopimus',
			keywords: ['kanta', 'liitos'],
			author: 'Liitos',
			creationDate: new Date('2026-03-21T10:00:00Z')
		},
		...overrides
	};
}

describe('renderAgreementPdf', () => {
	it('renders every value, the Nordic letters and page labels as extractable text', async () => {
		const bytes = await renderAgreementPdf(sampleAgreement());
		const file = write(bytes);
		if (process.env.LIITOS_PDF_SAMPLE) copyFileSync(file, process.env.LIITOS_PDF_SAMPLE); // for eyeballing the layout
		const pages = (await PDFDocument.load(bytes)).getPageCount();
		expect(pages).toBeGreaterThan(1);
		const text = flat(pdftotext(file));

		expect(text).toContain('Liittymissopimus Kanta-palveluihin – Äänekosken hyvinvointipalvelut Oy');
		for (const needle of ['Åland', 'Äijälä', 'Åsa Öberg', 'ÅÄÖ-vastuuhenkilölle', '1 250,00 €', '§ 12–14', 'vuodessa…']) {
			expect(text).toContain(needle);
		}
		expect(text).toContain(flat(LONG).trim());
		for (let i = 0; i < 10; i++) expect(text).toContain(`KANTA-${100 + i}`);
		for (const value of ['Toimitusjohtaja', 'Överläkare', 'Ålands hälso- och sjukvård', '2026-03-21 08:30', 'Menetelmä']) {
			expect(text).toContain(value);
		}
		for (const event of AUDIT_EVENTS) expect(text).toContain(event.event);
		// The over-long token is cut across lines, never dropped.
		expect(text.replace(/\s/g, '')).toContain('X'.repeat(160) + 'loppuu.');
		for (let p = 1; p <= pages; p++) {
			const page = pageText(file, p);
			expect(page).toContain(`sivu ${p} / ${pages}`);
			expect(page).toContain('Sopimus 3f2a9c1e · malli kanta-model v1 (fi)');
		}
	});

	it('starts the signature page and the audit page on pages of their own', async () => {
		const bytes = await renderAgreementPdf(sampleAgreement());
		const file = write(bytes);
		const pages = (await PDFDocument.load(bytes)).getPageCount();
		const texts = Array.from({ length: pages }, (_, i) => pageText(file, i + 1));
		const signaturePage = texts.findIndex((t) => t.includes('Allekirjoitukset'));
		const auditPage = texts.findIndex((t) => t.includes('Tapahtumaloki'));
		expect(signaturePage).toBeGreaterThan(0);
		expect(texts[signaturePage].trimStart().startsWith('Allekirjoitukset')).toBe(true);
		expect(texts[signaturePage]).not.toContain('Voimassaolo');
		expect(auditPage).toBeGreaterThan(signaturePage);
		expect(texts[auditPage].trimStart().startsWith('Tapahtumaloki')).toBe(true);
		expect(texts[auditPage]).not.toContain('Överläkare');
	});

	it('draws a character outside the fonts’ repertoire as U+FFFD, and composes or drops the rest', async () => {
		const tenant = 'Ж漢 Clinic 😀 Oy';
		const input = sampleAgreement({ title: `Sopimus – ${tenant} – A\u030aland\u200b` });
		input.signaturePage!.signatures[0].organisation = tenant;
		const text = flat(pdftotext(write(await renderAgreementPdf(input))));
		expect(text).toContain('Sopimus – \uFFFD\uFFFD Clinic \uFFFD Oy – Åland');
		expect(text).toContain('\uFFFD\uFFFD Clinic \uFFFD Oy');
		for (const dropped of ['Ж', '漢', '\u{1F600}', '\u200b', '\u030a']) expect(text).not.toContain(dropped);
	});

	it('gives identical bytes for identical input, whatever was rendered in between', async () => {
		const a = await renderAgreementPdf(sampleAgreement());
		// Another document in between fills the process-wide caches of words and glyphs differently.
		await renderAgreementPdf(
			sampleAgreement({ title: 'Avtal om anslutning – Ålands ämbetsverk', language: 'sv', draftWatermark: 'UTKAST' })
		);
		const b = await renderAgreementPdf(sampleAgreement());
		expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
	});

	it('names each font once in a page’s resources and compresses every stream', async () => {
		const bytes = await renderAgreementPdf(sampleAgreement());
		const doc = await PDFDocument.load(bytes, { updateMetadata: false });
		for (const page of doc.getPages()) {
			const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
			expect(fonts?.keys().length).toBeLessThanOrEqual(2); // regular and bold
		}
		const streams = doc.context.enumerateIndirectObjects().filter(([, object]) => object instanceof PDFRawStream) as [
			unknown,
			PDFRawStream
		][];
		expect(streams.length).toBeGreaterThan(doc.getPageCount());
		for (const [, stream] of streams) expect(stream.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
	});

	it('records title, keywords, language and dates in the document', async () => {
		const doc = await PDFDocument.load(await renderAgreementPdf(sampleAgreement()), { updateMetadata: false });
		expect(doc.getTitle()).toBe('Liittymissopimus Kanta-palveluihin – Äänekosken hyvinvointipalvelut Oy');
		expect(doc.getSubject()).toBe('Kanta-liittymissopimus');
		expect(doc.getKeywords()).toContain('liitos-agreement:3f2a9c1e-7b4d-4c1a-9e55-0d6f2b8a1c77');
		expect(doc.getAuthor()).toBe('Liitos');
		expect(doc.getProducer()).toBe('Liitos');
		expect(doc.getCreationDate()?.toISOString()).toBe('2026-03-21T10:00:00.000Z');
		expect(doc.getModificationDate()?.toISOString()).toBe('2026-03-21T10:00:00.000Z');
		expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('fi');
		expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
	});

	it('keeps all text inside the page margins', async () => {
		const file = write(await renderAgreementPdf(sampleAgreement()));
		const html = pdftotext(file, ['-bbox']);
		const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)];
		expect(words.length).toBeGreaterThan(500);
		for (const [, xMin, xMax] of words) {
			expect(Number(xMin)).toBeGreaterThanOrEqual(55);
			expect(Number(xMax)).toBeLessThanOrEqual(595.28 - 55);
		}
	});

	it('prints the draft watermark on every page, and only when asked', async () => {
		const draftBytes = await renderAgreementPdf(sampleAgreement({ draftWatermark: 'LUONNOS' }));
		const draft = write(draftBytes);
		const final = write(await renderAgreementPdf(sampleAgreement()));
		const pages = (await PDFDocument.load(draftBytes)).getPageCount();
		expect(pages).toBeGreaterThan(1);
		// Rotated text comes out letter by letter; -raw keeps drawing order, so the letters stay adjacent.
		for (let p = 1; p <= pages; p++) {
			expect(pdftotext(draft, ['-raw', '-f', String(p), '-l', String(p)]).replace(/\s/g, '')).toContain('LUONNOS');
		}
		expect(pdftotext(final)).not.toContain('LUONNOS');
	});

	it('never leaves a heading at the bottom of a page without the first line after it', async () => {
		let moved = 0;
		// Sweep the heading's position across the page boundary, one line at a time.
		for (let filler = 38; filler <= 50; filler++) {
			const blocks: Block[] = [
				{ type: 'paragraph', text: Array.from({ length: filler }, (_, i) => `Rivi ${i + 1}`).join('\n') },
				{ type: 'heading', text: 'Otsikko ennen kappaletta' },
				{ type: 'paragraph', text: 'Ensimmäinen rivi seuraa otsikkoa.' }
			];
			const file = write(await renderAgreementPdf(sampleAgreement({ blocks, signaturePage: undefined, auditPage: undefined })));
			const first = pageText(file, 1);
			const headingOnFirst = first.includes('Otsikko ennen kappaletta');
			expect(first.includes('Ensimmäinen rivi seuraa otsikkoa.')).toBe(headingOnFirst);
			if (!headingOnFirst) moved++;
		}
		expect(moved).toBeGreaterThan(0); // the sweep really crossed a page break
	});

	it('repeats the table header on every page a long annex reaches', async () => {
		const annex1 = {
			columns: ['Kanta service', 'Code'] as [string, string],
			rows: Array.from({ length: 90 }, (_, i) => [`Palvelu numero ${i + 1}`, `C-${i + 1}`] as [string, string])
		};
		const blocks: Block[] = [{ type: 'annex1' }];
		const bytes = await renderAgreementPdf(sampleAgreement({ blocks, annex1, signaturePage: undefined, auditPage: undefined }));
		const file = write(bytes);
		const pages = (await PDFDocument.load(bytes)).getPageCount();
		expect(pages).toBeGreaterThan(1);
		for (let p = 1; p <= pages; p++) expect(pageText(file, p)).toContain('Kanta service');
		const text = pdftotext(file);
		for (let i = 1; i <= 90; i++) expect(text).toContain(`C-${i}\n`);
	});
});
