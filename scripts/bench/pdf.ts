/**
 * The agreement PDF as the portal makes it (buildPdfInput + renderAgreementPdf), against Chromium
 * printing the same agreement laid out as plain HTML; then sealing that PDF, and a whole
 * countersignature as the agreement page's sign action performs it, from the parsed form post to
 * the sealed file stored. Medians; the browser starts before timing.
 *
 * Runs in a process of its own (`DATA_DIR=<dir> tsx scripts/bench/pdf.ts <database> <agreement id>`,
 * JSON out), as the portal renders in its own: not in the bench's, whose heap holds the whole data
 * set. Sealed files and the self-signed seal go to DATA_DIR; countersigning changes the database.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { getAgreement, signAgreement } from '../../src/lib/server/agreements/agreements';
import { buildPdfInput } from '../../src/lib/server/agreements/document';
import { renderAgreementPdf, type AgreementPdfInput } from '../../src/lib/server/agreements/pdf';
import { sealPdf } from '../../src/lib/server/agreements/seal';
import { loadSealCredentials } from '../../src/lib/server/agreements/sealing';
import { carryOutAgreementFollowUp } from '../../src/lib/server/agreements/follow-up';
import { can } from '../../src/lib/server/auth/authorize';
import type { SessionUser } from '../../src/lib/server/auth/session';
import type { Role } from '../../src/lib/server/db/schema';
import { parseForm } from '../../src/lib/server/http/forms';
import { signSchema } from '../../src/lib/schemas/agreement';
import { percentile } from './latency';
import { BENCH_PASSWORD } from './generate';

export interface Spread {
	median: number;
	p10: number;
	p90: number;
	runs: number;
}

export interface PdfTimes {
	portal: Spread;
	chromium: Spread;
	ratio: number;
	pages: number;
	kilobytes: number;
	seal: Spread;
	countersign: Spread;
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
		? `<section class="page"><h2>${escape(input.signaturePage.heading)}</h2>${input.signaturePage.signatures
				.map((s) =>
					table(
						null,
						Object.entries(input.signaturePage!.labels).map(([key, label]) => [label, s[key as keyof typeof s]])
					)
				)
				.join('')}</section>`
		: '';
	const audit = input.auditPage
		? `<section class="page"><h2>${escape(input.auditPage.heading)}</h2>${table(
				Object.values(input.auditPage.labels),
				input.auditPage.events.map((e) => [e.at, e.actor, e.event])
			)}</section>`
		: '';
	const style =
		'body{font:10.5pt/1.45 "DejaVu Sans",sans-serif;margin:0}h1{font-size:20pt}h2{font-size:12.5pt}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:3px;text-align:left}.page{break-before:page}';
	return `<!doctype html><html lang="${input.language}"><head><meta charset="utf-8"><title>${escape(input.title)}</title><style>${style}</style></head><body><h1>${escape(input.title)}</h1>${blocks.join('')}${signatures}${audit}<footer>${escape(input.footer)}</footer></body></html>`;
}

// A server renders agreements all its life: time the steady state, after the JIT has compiled the
// font and PDF code (about the first twenty documents are slower).
const WARM_UP = 20;

function spread(times: number[]): Spread {
	const sorted = [...times].sort((a, b) => a - b);
	return { median: percentile(sorted, 50), p10: percentile(sorted, 10), p90: percentile(sorted, 90), runs: sorted.length };
}

async function time(runs: number, task: () => Promise<unknown>, warmUp = WARM_UP): Promise<Spread> {
	const times: number[] = [];
	for (let i = 0; i < runs + warmUp; i++) {
		const started = performance.now();
		await task();
		if (i >= warmUp) times.push(performance.now() - started);
	}
	return spread(times);
}

/** The main connector's signatory of the generated data set, as a signed-in session presents them. */
function benchSignatory(db: Db): SessionUser {
	const client = db.$client;
	const person = client.prepare("select id, email, name, tenant_id as tenantId from user where email = 'signer@bench.test'").get() as Omit<
		SessionUser,
		'roles'
	>;
	const roles = (client.prepare('select role from user_role where user_id = ?').all(person.id) as { role: Role }[]).map((r) => r.role);
	return { ...person, roles };
}

/**
 * The sign action of `/agreements/<id>` for the main connector's signatory, without HTTP: permission,
 * form parsing, signAgreement (password check included) and the follow-up it records: sealing (render,
 * seal, store) and the "in force" mails to the outbox. Each run countersigns another agreement.
 */
async function timeCountersignatures(db: Db, runs: number): Promise<Spread> {
	const signer = benchSignatory(db);
	const waiting = (
		db.$client.prepare("select id from agreement where status = 'awaiting_countersignature' order by id limit ?").all(runs + 1) as {
			id: string;
		}[]
	).map((r) => r.id);
	if (waiting.length < 2) throw new Error('The data set has too few agreements awaiting countersignature');
	loadSealCredentials(db); // the self-signed seal is generated once per installation, not per signature
	const times: number[] = [];
	for (const id of waiting) {
		const started = performance.now();
		const current = getAgreement(db, id);
		if (!current || !can(signer, 'agreement.countersign', { tenantId: current.tenantId }))
			throw new Error(`${signer.email} may not countersign ${id}`);
		const form = new FormData();
		form.set('typedName', signer.name);
		form.set('title', 'Toimitusjohtaja');
		form.set('password', BENCH_PASSWORD);
		const parsed = parseForm(signSchema, form);
		if (!parsed.ok) throw new Error(`Form refused: ${JSON.stringify(parsed.errors)}`);
		const result = await signAgreement(db, signer, id, parsed.data, { ipAddress: '127.0.0.1', userAgent: 'bench' });
		if (!result.ok || result.status !== 'in_force') throw new Error(`Countersigning ${id} failed: ${JSON.stringify(result)}`);
		await carryOutAgreementFollowUp(db, id); // sealing and the mails, as the countersign action does
		const sealedPath = getAgreement(db, id)?.sealedPath;
		if (!sealedPath || !existsSync(sealedPath)) throw new Error(`${id} was not sealed`);
		times.push(performance.now() - started);
	}
	return spread(times.slice(1)); // the first warms up argon2, forge and the renderer
}

async function timePdf(databasePath: string, agreementId: string): Promise<PdfTimes> {
	const db = openDatabase(databasePath);
	try {
		const agreement = getAgreement(db, agreementId);
		if (!agreement) throw new Error(`No agreement ${agreementId}`);
		const render = () => renderAgreementPdf(buildPdfInput(db, agreement, { final: true }));
		const pdf = await render();
		const pages = (await PDFDocument.load(pdf)).getPageCount();
		const portal = await time(200, render);

		const html = agreementHtml(buildPdfInput(db, agreement, { final: true }));
		const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
		let browserTimes: Spread;
		try {
			const page = await browser.newPage();
			browserTimes = await time(20, async () => {
				await page.setContent(html);
				await page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '20mm', right: '20mm' } });
			});
		} finally {
			await browser.close();
		}

		const credentials = loadSealCredentials(db);
		const info = { reason: `Kanta agreement ${agreementId}`, location: 'Helsinki', name: 'Bench', contactInfo: '' };
		const seal = await time(20, () => sealPdf(pdf, credentials, info), 3);
		const countersign = await timeCountersignatures(db, 10);
		return {
			portal,
			chromium: browserTimes,
			ratio: browserTimes.median / portal.median,
			pages,
			kilobytes: pdf.length / 1024,
			seal,
			countersign
		};
	} finally {
		db.$client.close();
	}
}

/** `dataDir` receives the sealed files (the bench's temporary directory). */
export function measurePdf(databasePath: string, agreementId: string, dataDir: string): PdfTimes {
	const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/pdf.ts', databasePath, agreementId], {
		encoding: 'utf8',
		env: { ...process.env, DATA_DIR: join(dataDir, 'pdf-data') }
	});
	return JSON.parse(output) as PdfTimes;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	if (!process.env.DATA_DIR) throw new Error('Set DATA_DIR: sealed files are written there');
	console.log(JSON.stringify(await timePdf(process.argv[2], process.argv[3])));
}
