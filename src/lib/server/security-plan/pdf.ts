import MarkdownIt from 'markdown-it';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import * as m from '../../paraglide/messages.js';
import type { DbOrTx } from '../db';
import type { SecurityRequirementStatus, SecurityResponsibleParty, SecurityRiskLevel } from '../../domain';
import { loadFontPrograms } from '../agreements/pdf-fonts';
import { COLOR, CONTENT_WIDTH, Flow, MARGIN, MM, PAGE, drawTable, drawTextLine, truncate, wrapText } from '../agreements/pdf-layout';
import { getMainConnector } from '../organisation/organisation';
import { tenant } from '../db/schema';
import { eq } from 'drizzle-orm';
import { todayInHelsinki } from '../../time';
import { audit, type Actor } from '../actor';
import { getPlan, ownPartyOf, ownerChoices, planOverview, type PlanOwner } from './plan';
import type { FrameworkLanguage } from './framework';
import { listRisks, responsibleDirector, riskChapters } from './risks';
import { hasUnapprovedChanges, latestVersion } from './versions';

/**
 * The plan as a PDF for the supervisory authority (THL 3/2024 ch. 3: demonstrable on request), drawn
 * with the agreements' PDF engine: a summary by section, then every requirement with how it is met,
 * its owner, responsibility and review dates. Marked confidential on every page (ch. 5).
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

/** Renders the plan as it stands; null when no framework is loaded. */
export async function renderPlanPdf(db: DbOrTx, owner: PlanOwner, locale: Locale, now = new Date()): Promise<Uint8Array | null> {
	const overview = planOverview(db, owner, now);
	if (!overview) return null;
	const o = { locale };
	const owners = new Map(ownerChoices(db, owner).map((p) => [p.id, p.name]));
	const organisation = organisationName(db, owner);
	const today = todayInHelsinki(now);
	const title = `${m.security_plan_title({}, o)} · ${organisation}`;

	const doc = await PDFDocument.create({ updateMetadata: false });
	const fonts = await loadFontPrograms();
	const flow = new Flow(doc, fonts);

	for (const line of wrapText(title, fonts.bold, TITLE.size, CONTENT_WIDTH)) flow.line(line, MARGIN.left, { font: fonts.bold, ...TITLE });
	flow.y -= 6;
	flow.canvas.line({ x: MARGIN.left, y: flow.y }, { x: PAGE.width - MARGIN.right, y: flow.y }, 0.8, COLOR.text);
	flow.y -= 12;
	paragraph(flow, m.security_plan_framework({ title: overview.framework.title[locale], version: overview.framework.version }, o));
	paragraph(flow, m.security_plan_pdf_printed({ date: today }, o));
	paragraph(flow, m.security_plan_confidential({}, o));
	flow.gap(6);
	// Approval: the newest approved version, and whether this print shows changes made since.
	const approved = latestVersion(db, owner);
	const director = responsibleDirector(db, owner)?.name;
	paragraph(flow, director ? m.security_plan_director_is({ name: director }, o) : m.security_plan_director_none({}, o));
	if (approved) {
		paragraph(
			flow,
			m.security_plan_pdf_approved(
				{ version: approved.version, name: approved.approverName, date: todayInHelsinki(approved.approvedAt), hash: approved.contentHash },
				o
			)
		);
		if (hasUnapprovedChanges(db, owner)) paragraph(flow, m.security_plan_has_pending({}, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	} else paragraph(flow, m.security_plan_never_approved({}, o));
	flow.gap(10);

	const done = (c: Record<SecurityRequirementStatus, number>) => c.implemented + c.verified;
	const all = (c: Record<SecurityRequirementStatus, number>) => Object.values(c).reduce((a, b) => a + b, 0);
	drawTable(flow, {
		widths: [0.12, 0.6, 0.28],
		header: [m.security_plan_pdf_chapter({}, o), m.security_plan_pdf_section({}, o), m.security_plan_pdf_progress({}, o)],
		rows: overview.sections.map((s) => [s.section.chapter, s.section.title[locale], `${done(s.counts)}/${all(s.counts)}`]),
		size: 9
	});
	flow.gap(8);
	paragraph(flow, m.security_plan_progress({ done: done(overview.total), total: all(overview.total) }, o));

	for (const view of overview.sections) {
		flow.newPage();
		for (const line of wrapText(`${view.section.chapter} ${view.section.title[locale]}`, fonts.bold, HEADING.size, CONTENT_WIDTH))
			flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
		paragraph(flow, m.security_plan_reference({ chapter: view.section.chapter }, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
		for (const row of view.requirements) {
			flow.gap(10);
			const heading = wrapText(`${row.requirement.id}  ${row.requirement[locale]}`, fonts.bold, REQUIREMENT.size, CONTENT_WIDTH);
			flow.ensure(heading.length * REQUIREMENT.lineHeight + 40);
			for (const line of heading) flow.line(line, MARGIN.left, { font: fonts.bold, ...REQUIREMENT });
			flow.gap(3);
			const entry = row.entry;
			const responsible =
				!entry || entry.responsibleParty === ownPartyOf(owner)
					? partyLabel(ownPartyOf(owner), o)
					: m.security_plan_responsible_other(
							{ party: partyLabel(entry.responsibleParty, o), name: entry.responsibleName, agreement: entry.agreementReference },
							o
						);
			drawTable(flow, {
				widths: [0.3, 0.7],
				labelColumn: true,
				size: 9,
				rows: [
					[m.security_plan_field_status({}, o), statusLabel(entry?.status ?? 'not_described', o)],
					[m.security_plan_field_owner({}, o), (entry?.ownerId && owners.get(entry.ownerId)) || m.security_plan_unassigned({}, o)],
					[m.security_plan_col_responsible({}, o), responsible],
					[m.security_plan_field_last_reviewed({}, o), entry?.lastReviewedOn ?? '—'],
					[
						m.security_plan_field_next_review({}, o),
						entry ? `${entry.nextReviewOn}${row.due ? ` (${m.security_plan_due_badge({}, o)})` : ''}` : '—'
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
		}
	}

	// The risk register (THL 3/2024 ch. 5) after the sections.
	flow.newPage();
	for (const line of wrapText(m.security_risk_title({}, o), fonts.bold, HEADING.size, CONTENT_WIDTH))
		flow.line(line, MARGIN.left, { font: fonts.bold, ...HEADING });
	paragraph(flow, m.security_plan_reference({ chapter: '5' }, o), MARGIN.left, CONTENT_WIDTH, COLOR.muted);
	flow.gap(6);
	const risks = listRisks(db, owner);
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
				[r.title, r.systems, riskChapters(r).join(', ')].filter(Boolean).join(' · '),
				levelLabel(r.likelihood, o),
				levelLabel(r.impact, o),
				r.treatment,
				levelLabel(r.residual, o),
				r.acceptedAt ? `${r.acceptedByName} ${todayInHelsinki(r.acceptedAt)}` : m.security_risk_not_accepted({}, o)
			]),
			size: 8.5
		});

	// Footer on every page: confidential, organisation, page number.
	const footer = `${m.security_plan_pdf_footer({}, o)} · ${organisation} · ${today}`;
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

/** The export for the authority; who took a copy of the confidential plan is recorded. */
export async function exportPlanPdf(
	db: DbOrTx,
	actor: Actor,
	owner: PlanOwner,
	locale: Locale,
	now = new Date()
): Promise<Uint8Array | null> {
	// Rendered first, outside any transaction (better-sqlite3 transactions are synchronous).
	const pdf = await renderPlanPdf(db, owner, locale, now);
	if (!pdf) return null;
	const plan = getPlan(db, owner);
	audit(db, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.export',
		targetType: 'security_plan',
		targetId: plan?.id,
		summary: `PDF (${locale})`,
		at: now
	});
	return pdf;
}
