import MarkdownIt from 'markdown-it';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import * as m from '../../paraglide/messages.js';
import type { DbOrTx } from '../db';
import {
	SECURITY_REQUIREMENT_STATUSES,
	type SecurityRequirementStatus,
	type SecurityResponsibleParty,
	type SecurityRiskLevel
} from '../../domain';
import { loadFontPrograms } from '../agreements/pdf-fonts';
import { COLOR, CONTENT_WIDTH, Flow, MARGIN, MM, PAGE, drawTable, drawTextLine, truncate, wrapText } from '../agreements/pdf-layout';
import { getMainConnector } from '../organisation/organisation';
import { tenant } from '../db/schema';
import { eq } from 'drizzle-orm';
import { todayInHelsinki } from '../../time';
import { audit, type Actor } from '../actor';
import type { SecurityPlanVersion } from '../db/schema';
import { SIGNATURE_METHODS } from '../agreements/agreements';
import { formatSigningTime } from '../agreements/document';
import { frameworkOfPlan, getPlan, ownPartyOf, type PlanOwner } from './plan';
import type { Framework, FrameworkLanguage } from './framework';
import { getFramework } from './framework-store';
import { responsibleDirector } from './risks';
import {
	EMPTY_SNAPSHOT,
	currentSnapshot,
	hasUnapprovedChanges,
	isIntact,
	latestVersion,
	parseSnapshot,
	type PlanSnapshot
} from './versions';

/**
 * The plan as a PDF for the supervisory authority (THL 3/2024 ch. 3: demonstrable on request), drawn
 * with the agreements' PDF engine: a summary by section, then every requirement with how it is met,
 * its owner, responsibility and review dates, the risk register and the approval page. What is
 * printed is the newest approved version's frozen content, not the live plan; a print of the live
 * plan says on every page that it is a draft. Marked confidential on every page (ch. 5).
 */

type Locale = FrameworkLanguage;
const BODY = { size: 10, lineHeight: 10 * 1.45 };
const HEADING = { size: 13, lineHeight: 13 * 1.35 };
const REQUIREMENT = { size: 10.5, lineHeight: 10.5 * 1.4 };
const TITLE = { size: 20, lineHeight: 20 * 1.25 };

const markdown = new MarkdownIt({ html: false, linkify: false });

/** Markdown as plain paragraphs and list items: the PDF shows the words, not the formatting. */
export function markdownToLines(text: string): { kind: 'paragraph' | 'item'; text: string }[] {
	const out: { kind: 'paragraph' | 'item'; text: string }[] = [];
	let inItem = 0;
	for (const token of markdown.parse(text, {})) {
		if (token.type === 'list_item_open') inItem++;
		else if (token.type === 'list_item_close') inItem--;
		else if (token.type === 'inline' || token.type === 'fence' || token.type === 'code_block') {
			const plain =
				token.type === 'inline'
					? (token.children ?? []).map((c) => (c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : c.content)).join('')
					: token.content.trim();
			if (plain.trim()) out.push({ kind: inItem > 0 ? 'item' : 'paragraph', text: plain.trim() });
		}
	}
	return out;
}

const statusLabel = (status: SecurityRequirementStatus, o: { locale: Locale }) =>
	({
		not_described: m.security_status_not_described,
		described: m.security_status_described,
		implemented: m.security_status_implemented,
		verified: m.security_status_verified
	})[status]({}, o);

const partyLabel = (party: SecurityResponsibleParty, o: { locale: Locale }) =>
	({
		main_connector: m.security_party_main_connector,
		tenant: m.security_party_tenant,
		system_supplier: m.security_party_system_supplier,
		it_service_provider: m.security_party_it_service_provider
	})[party]({}, o);

const levelLabel = (level: SecurityRiskLevel, o: { locale: Locale }) =>
	({
		low: m.security_risk_level_low,
		moderate: m.security_risk_level_moderate,
		high: m.security_risk_level_high,
		very_high: m.security_risk_level_very_high
	})[level]({}, o);

function paragraph(flow: Flow, text: string, x = MARGIN.left, width = CONTENT_WIDTH, color: string = COLOR.text): void {
	for (const line of wrapText(text, flow.fonts.regular, BODY.size, width)) flow.line(line, x, { ...BODY, color });
}

/** The name of the plan's own organisation, for its title and footer. */
const organisationName = (db: DbOrTx, owner: PlanOwner): string =>
	(owner.tenantId === null
		? getMainConnector(db)?.name
		: db.select({ name: tenant.name }).from(tenant).where(eq(tenant.id, owner.tenantId)).get()?.name) ?? '';

/**
 * What a print shows: the newest approved version from its frozen content (what the responsible
 * director stands behind), or the plan as it stands, printed as a draft.
 */
export type PlanEdition = 'approved' | 'draft';

interface Printable {
	framework: Framework;
	snapshot: PlanSnapshot;
	/** The version printed; null for a draft. */
	version: SecurityPlanVersion | null;
	/** The newest approved version, also when a draft is printed. */
	latest: SecurityPlanVersion | null;
}

/** The content to print; an approved print falls back to a draft while no version is approved. */
function printable(db: DbOrTx, owner: PlanOwner, edition: PlanEdition): Printable | null {
	const latest = latestVersion(db, owner) ?? null;
	if (edition === 'approved' && latest) {
		const snapshot = parseSnapshot(latest);
		const framework = getFramework(db, snapshot.framework.key, snapshot.framework.version);
		if (framework) return { framework, snapshot, version: latest, latest };
	}
	const framework = frameworkOfPlan(db, getPlan(db, owner));
	if (!framework) return null;
	const snapshot = currentSnapshot(db, owner) ?? {
		...EMPTY_SNAPSHOT,
		framework: { key: framework.framework, version: framework.version },
		responsibleDirector: responsibleDirector(db, owner)?.name ?? ''
	};
	return { framework, snapshot, version: null, latest };
}

/**
 * Renders the plan: by default the newest approved version with its approval page, otherwise (or
 * when asked) the plan as it stands, marked as a draft on every page. Null when no framework is loaded.
 */
export async function renderPlanPdf(
	db: DbOrTx,
	owner: PlanOwner,
	locale: Locale,
	now = new Date(),
	edition: PlanEdition = 'approved'
): Promise<Uint8Array | null> {
	const source = printable(db, owner, edition);
	if (!source) return null;
	const { framework, snapshot, version, latest } = source;
	const o = { locale };
	const organisation = organisationName(db, owner);
	const today = todayInHelsinki(now);
	const title = `${m.security_plan_title({}, o)} · ${organisation}`;
	const entries = new Map(snapshot.requirements.map((r) => [r.id, r]));

	const doc = await PDFDocument.create({ updateMetadata: false });
	const fonts = await loadFontPrograms();
	const flow = new Flow(doc, fonts);

	for (const line of wrapText(title, fonts.bold, TITLE.size, CONTENT_WIDTH)) flow.line(line, MARGIN.left, { font: fonts.bold, ...TITLE });
	flow.y -= 6;
	flow.canvas.line({ x: MARGIN.left, y: flow.y }, { x: PAGE.width - MARGIN.right, y: flow.y }, 0.8, COLOR.text);
	flow.y -= 12;
	if (!version)
		for (const line of wrapText(m.security_plan_pdf_draft_banner({}, o), fonts.bold, HEADING.size, CONTENT_WIDTH))
			flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
	paragraph(flow, m.security_plan_framework({ title: framework.title[locale], version: framework.version }, o));
	paragraph(flow, m.security_plan_pdf_printed({ date: today }, o));
	paragraph(flow, m.security_plan_confidential({}, o));
	flow.gap(6);
	const director = snapshot.responsibleDirector;
	paragraph(flow, director ? m.security_plan_director_is({ name: director }, o) : m.security_plan_director_none({}, o));
	if (version)
		paragraph(
			flow,
			m.security_plan_pdf_approved(
				{ version: version.version, name: version.approverName, date: todayInHelsinki(version.approvedAt), hash: version.contentHash },
				o
			)
		);
	else if (latest) {
		paragraph(flow, m.security_plan_pdf_draft_of({ version: latest.version, date: todayInHelsinki(latest.approvedAt) }, o));
		if (hasUnapprovedChanges(db, owner)) paragraph(flow, m.security_plan_has_pending({}, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	} else paragraph(flow, m.security_plan_never_approved({}, o));
	flow.gap(10);

	const countsOf = (ids: string[]) => {
		const counts = Object.fromEntries(SECURITY_REQUIREMENT_STATUSES.map((st) => [st, 0])) as Record<SecurityRequirementStatus, number>;
		for (const id of ids) counts[entries.get(id)?.status ?? 'not_described']++;
		return counts;
	};
	const done = (c: Record<SecurityRequirementStatus, number>) => c.implemented + c.verified;
	const all = (c: Record<SecurityRequirementStatus, number>) => Object.values(c).reduce((a, b) => a + b, 0);
	const sectionCounts = framework.sections.map((s) => countsOf(s.requirements.map((r) => r.id)));
	const total = countsOf(framework.sections.flatMap((s) => s.requirements.map((r) => r.id)));
	drawTable(flow, {
		widths: [0.12, 0.6, 0.28],
		header: [m.security_plan_pdf_chapter({}, o), m.security_plan_pdf_section({}, o), m.security_plan_pdf_progress({}, o)],
		rows: framework.sections.map((s, i) => [s.chapter, s.title[locale], `${done(sectionCounts[i])}/${all(sectionCounts[i])}`]),
		size: 9
	});
	flow.gap(8);
	paragraph(flow, m.security_plan_progress({ done: done(total), total: all(total) }, o));

	for (const section of framework.sections) {
		flow.newPage();
		for (const line of wrapText(`${section.chapter} ${section.title[locale]}`, fonts.bold, HEADING.size, CONTENT_WIDTH))
			flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
		paragraph(flow, m.security_plan_reference({ chapter: section.chapter }, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
		for (const requirement of section.requirements) {
			flow.gap(10);
			const heading = wrapText(`${requirement.id}  ${requirement[locale]}`, fonts.bold, REQUIREMENT.size, CONTENT_WIDTH);
			flow.ensure(heading.length * REQUIREMENT.lineHeight + 40);
			for (const line of heading) flow.line(line, MARGIN.left, { font: fonts.bold, ...REQUIREMENT });
			flow.gap(3);
			const entry = entries.get(requirement.id);
			const responsible =
				!entry || entry.responsibleParty === ownPartyOf(owner)
					? partyLabel(ownPartyOf(owner), o)
					: m.security_plan_responsible_other(
							{ party: partyLabel(entry.responsibleParty, o), name: entry.responsibleName, agreement: entry.agreementReference },
							o
						);
			const due = entry?.nextReviewOn ? entry.nextReviewOn <= today : false;
			drawTable(flow, {
				widths: [0.3, 0.7],
				labelColumn: true,
				size: 9,
				rows: [
					[m.security_plan_field_status({}, o), statusLabel(entry?.status ?? 'not_described', o)],
					[m.security_plan_field_owner({}, o), entry?.owner || m.security_plan_unassigned({}, o)],
					[m.security_plan_col_responsible({}, o), responsible],
					[m.security_plan_field_last_reviewed({}, o), entry?.lastReviewedOn ?? '—'],
					[
						m.security_plan_field_next_review({}, o),
						entry?.nextReviewOn ? `${entry.nextReviewOn}${due ? ` (${m.security_plan_due_badge({}, o)})` : ''}` : '—'
					]
				]
			});
			flow.gap(4);
			const lines = entry?.description ? markdownToLines(entry.description) : [];
			if (!lines.length) paragraph(flow, m.security_plan_not_described_yet({}, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
			for (const line of lines) {
				if (line.kind === 'item') {
					flow.ensure(BODY.lineHeight);
					paragraph(flow, `•  ${line.text}`, MARGIN.left + 8, CONTENT_WIDTH - 8);
				} else {
					paragraph(flow, line.text);
					flow.gap(3);
				}
			}
			if (entry?.documents.length) {
				flow.gap(2);
				paragraph(flow, `${m.security_plan_documents_heading({}, o)}:`, MARGIN.left, CONTENT_WIDTH, COLOR.muted);
				for (const d of entry.documents) paragraph(flow, `•  ${d}`, MARGIN.left + 8, CONTENT_WIDTH - 8, COLOR.muted);
			}
		}
	}

	// The risk register (THL 3/2024 ch. 5) after the sections.
	flow.newPage();
	for (const line of wrapText(m.security_risk_title({}, o), fonts.bold, HEADING.size, CONTENT_WIDTH))
		flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
	paragraph(flow, m.security_plan_reference({ chapter: '5' }, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	flow.gap(6);
	const risks = snapshot.risks;
	if (!risks.length) paragraph(flow, m.security_risk_none({}, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	else
		drawTable(flow, {
			widths: [0.22, 0.12, 0.12, 0.26, 0.12, 0.16],
			header: [
				m.security_risk_field_title({}, o),
				m.security_risk_field_likelihood({}, o),
				m.security_risk_field_impact({}, o),
				m.security_risk_field_treatment({}, o),
				m.security_risk_field_residual({}, o),
				m.security_risk_col_acceptance({}, o)
			],
			rows: risks.map((r) => [
				[r.title, r.systems, r.chapters.join(', ')].filter(Boolean).join(' · '),
				levelLabel(r.likelihood, o),
				levelLabel(r.impact, o),
				r.treatment,
				levelLabel(r.residual, o),
				r.acceptedAt ? `${r.acceptedBy} ${todayInHelsinki(new Date(r.acceptedAt))}` : m.security_risk_not_accepted({}, o)
			]),
			size: 8.5
		});

	// The approval page: who approved which content, how they confirmed it, and whether it is intact.
	if (version) {
		flow.newPage();
		for (const line of wrapText(m.security_plan_approve_heading({}, o), fonts.bold, HEADING.size, CONTENT_WIDTH))
			flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
		flow.gap(6);
		drawTable(flow, {
			widths: [0.3, 0.7],
			labelColumn: true,
			size: 9,
			rows: [
				[m.security_plan_version_col({}, o), String(version.version)],
				[m.security_plan_approved_by_col({}, o), version.approverName],
				[m.security_plan_approved_at_col({}, o), formatSigningTime(version.approvedAt, locale)],
				[
					m.security_plan_pdf_method({}, o),
					version.method === SIGNATURE_METHODS.passwordAndCode
						? m.security_plan_pdf_method_password_code({}, o)
						: m.security_plan_pdf_method_password({}, o)
				],
				[m.security_plan_content_hash({}, o), version.contentHash],
				[
					m.security_plan_pdf_integrity({}, o),
					isIntact(version) ? m.security_plan_pdf_intact({}, o) : m.security_plan_version_tampered({}, o)
				]
			]
		});
		flow.gap(8);
		paragraph(flow, m.security_plan_pdf_approval_note({}, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	}

	// Footer on every page: confidential, organisation, page number.
	const printed = version ? m.security_plan_version_col({}, o) + ' ' + version.version : m.security_plan_pdf_draft_footer({}, o);
	const footer = `${m.security_plan_pdf_footer({}, o)} · ${printed} · ${organisation} · ${today}`;
	flow.canvases.forEach((canvas, i) => {
		const size = 7.5;
		const y = 13 * MM;
		const label = `${i + 1} / ${flow.canvases.length}`;
		const labelWidth = fonts.regular.widthOfTextAtSize(label, size);
		const right = PAGE.width - MARGIN.right;
		canvas.line({ x: MARGIN.left, y: y + 11 }, { x: right, y: y + 11 }, 0.4, COLOR.rule);
		drawTextLine(canvas, truncate(footer, fonts.regular, size, CONTENT_WIDTH - labelWidth - 16), {
			x: MARGIN.left,
			y,
			size,
			font: fonts.regular,
			color: COLOR.muted
		});
		drawTextLine(canvas, label, { x: right - labelWidth, y, size, font: fonts.regular, color: COLOR.muted });
	});
	flow.finish({ [fonts.regular.resourceName]: fonts.regular.embed(doc.context), [fonts.bold.resourceName]: fonts.bold.embed(doc.context) });
	doc.setTitle(title, { showInWindowTitleBar: true });
	doc.setAuthor(organisation);
	doc.setCreator('Liitos');
	doc.setProducer('Liitos');
	doc.setCreationDate(now);
	doc.setModificationDate(now);
	doc.catalog.set(PDFName.of('Lang'), PDFString.of(locale));
	return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}

/** The export for the authority; who took a copy of the confidential plan, and of which version, is recorded. */
export async function exportPlanPdf(
	db: DbOrTx,
	actor: Actor,
	owner: PlanOwner,
	locale: Locale,
	now = new Date(),
	edition: PlanEdition = 'approved'
): Promise<{ pdf: Uint8Array; version: number | null } | null> {
	// Rendered first, outside any transaction (better-sqlite3 transactions are synchronous).
	const pdf = await renderPlanPdf(db, owner, locale, now, edition);
	if (!pdf) return null;
	const plan = getPlan(db, owner);
	const latest = edition === 'approved' ? (latestVersion(db, owner) ?? null) : null;
	audit(db, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.export',
		targetType: latest ? 'security_plan_version' : 'security_plan',
		targetId: latest?.id ?? plan?.id,
		summary: `PDF (${locale}), ${latest ? `version ${latest.version}` : 'draft'}`,
		at: now
	});
	return { pdf, version: latest?.version ?? null };
}
