/**
 * The agreement PDF as the portal makes it (buildPdfInput + renderAgreementPdf), against Chromium
 * printing the same agreement laid out as plain HTML. Medians; the browser starts before timing.
 *
 * Runs in a process of its own (`tsx scripts/bench/pdf.ts <database> <agreement id>`, JSON out),
 * as the portal renders in its own: not in the bench's, whose heap holds the whole data set.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { openDatabase } from '../../src/lib/server/db';
import { getAgreement } from '../../src/lib/server/agreements/agreements';
import { buildPdfInput } from '../../src/lib/server/agreements/document';
import { renderAgreementPdf, type AgreementPdfInput } from '../../src/lib/server/agreements/pdf';
import { percentile } from './latency';

export interface PdfTimes {
	portalMs: number;
	chromiumMs: number;
	ratio: number;
	pages: number;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (header: string[] | null, rows: string[][]) =>
	`<table>${header ? `<tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>` : ''}${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('')}</table>`;

/** The same content as the PDF: title, text, Annex 1, signature page and audit page. */
export function agreementHtml(input: AgreementPdfInput): string {
	const blocks = input.blocks.map((b) => {
		if (b.type === 'heading') return `<h2>${escape(b.text)}</h2>`;
		if (b.type === 'paragraph') return `<p>${escape(b.text)}</p>`;
		if (b.type === 'list') return `<ul>${b.items.map((i) => `<li>${escape(i)}</li>`).join('')}</ul>`;
		return table(input.annex1.columns, input.annex1.rows);
	});
	const signatures = input.signaturePage
		? `<section class="page"><h2>${escape(input.signaturePage.heading)}</h2>${input.signaturePage.signatures.map((s) => table(null, Object.entries(input.signaturePage!.labels).map(([key, label]) => [label, s[key as keyof typeof s]]))).join('')}</section>`
		: '';
	const audit = input.auditPage ? `<section class="page"><h2>${escape(input.auditPage.heading)}</h2>${table(Object.values(input.auditPage.labels), input.auditPage.events.map((e) => [e.at, e.actor, e.event]))}</section>` : '';
	const style = 'body{font:10.5pt/1.45 "DejaVu Sans",sans-serif;margin:0}h1{font-size:20pt}h2{font-size:12.5pt}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:3px;text-align:left}.page{break-before:page}';
	return `<!doctype html><html lang="${input.language}"><head><meta charset="utf-8"><title>${escape(input.title)}</title><style>${style}</style></head><body><h1>${escape(input.title)}</h1>${blocks.join('')}${signatures}${audit}<footer>${escape(input.footer)}</footer></body></html>`;
}

// A server renders agreements all its life: time the steady state, after the JIT has compiled the
// font and PDF code (about the first twenty documents are slower).
const WARM_UP = 20;

async function median(runs: number, task: () => Promise<unknown>): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < runs + WARM_UP; i++) {
		const started = performance.now();
		await task();
		if (i >= WARM_UP) times.push(performance.now() - started);
	}
	return percentile(times.sort((a, b) => a - b), 50);
}

async function timePdf(databasePath: string, agreementId: string): Promise<PdfTimes> {
	const db = openDatabase(databasePath);
	try {
		const agreement = getAgreement(db, agreementId);
		if (!agreement) throw new Error(`No agreement ${agreementId}`);
		const render = () => renderAgreementPdf(buildPdfInput(db, agreement, { final: true }));
		const pages = (await PDFDocument.load(await render())).getPageCount();
		const portalMs = await median(100, render);

		const html = agreementHtml(buildPdfInput(db, agreement, { final: true }));
		const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
		try {
			const page = await browser.newPage();
			const chromiumMs = await median(20, async () => {
				await page.setContent(html);
				await page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '20mm', right: '20mm' } });
			});
			return { portalMs, chromiumMs, ratio: chromiumMs / portalMs, pages };
		} finally {
			await browser.close();
		}
	} finally {
		db.$client.close();
	}
}

export function measurePdf(databasePath: string, agreementId: string): PdfTimes {
	const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/pdf.ts', databasePath, agreementId], { encoding: 'utf8' });
	return JSON.parse(output) as PdfTimes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	console.log(JSON.stringify(await timePdf(process.argv[2], process.argv[3])));
}
