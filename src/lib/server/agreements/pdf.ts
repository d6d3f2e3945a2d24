import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { loadFontPrograms } from './pdf-fonts';
import type { PageCanvas } from './pdf-canvas';
import {
	COLOR,
	CONTENT_WIDTH,
	Flow,
	MARGIN,
	MM,
	PAGE,
	baseline,
	drawTable,
	drawTextLine,
	tableLeadHeight,
	truncate,
	wrapText,
	type Fonts,
	type TableSpec
} from './pdf-layout';

export type Block =
	{ type: 'heading'; text: string } | { type: 'paragraph'; text: string } | { type: 'list'; items: string[] } | { type: 'annex1' };

export interface PdfSignature {
	party: string;
	name: string;
	title: string;
	organisation: string;
	signedAt: string;
	method: string;
}
export interface PdfAuditEvent {
	at: string;
	actor: string;
	event: string;
}

export interface AgreementPdfInput {
	agreementId: string;
	language: string;
	title: string;
	blocks: Block[];
	annex1: { columns: [string, string]; rows: [string, string][] };
	footer: string;
	pageLabel: (page: number, pages: number) => string;
	draftWatermark?: string;
	signaturePage?: {
		heading: string;
		labels: { party: string; name: string; title: string; organisation: string; signedAt: string; method: string };
		signatures: PdfSignature[];
	};
	auditPage?: { heading: string; labels: { at: string; actor: string; event: string }; events: PdfAuditEvent[] };
	metadata: { subject: string; keywords: string[]; author: string; creationDate: Date };
}

const BODY = { size: 10.5, lineHeight: 10.5 * 1.45 };
const HEADING = { size: 12.5, lineHeight: 12.5 * 1.35, before: 14, after: 4 };
const TITLE = { size: 20, lineHeight: 20 * 1.25 };
const TABLE_SIZE = 9.5;
const PARAGRAPH_GAP = 6;
const LIST_INDENT = 16;

function annexSpec(input: AgreementPdfInput): TableSpec {
	return { widths: [0.72, 0.28], header: [...input.annex1.columns], rows: input.annex1.rows, size: TABLE_SIZE };
}

/** How much of the block after a heading must fit on the same page as the heading. */
function leadHeight(flow: Flow, block: Block | undefined, input: AgreementPdfInput): number {
	if (!block) return 0;
	if (block.type === 'annex1') return tableLeadHeight(flow, annexSpec(input));
	if (block.type === 'heading') return HEADING.before + HEADING.lineHeight;
	return BODY.lineHeight;
}

function drawParagraph(flow: Flow, text: string, x: number, width: number): void {
	for (const line of wrapText(text, flow.fonts.regular, BODY.size, width)) flow.line(line, x, BODY);
}

function drawBlocks(flow: Flow, input: AgreementPdfInput): void {
	input.blocks.forEach((block, i) => {
		switch (block.type) {
			case 'heading': {
				const lines = wrapText(block.text, flow.fonts.bold, HEADING.size, CONTENT_WIDTH);
				const own = lines.length * HEADING.lineHeight + HEADING.after;
				flow.ensure((flow.atTop ? 0 : HEADING.before) + own + leadHeight(flow, input.blocks[i + 1], input));
				flow.gap(HEADING.before);
				for (const line of lines) flow.line(line, MARGIN.left, { ...HEADING, font: flow.fonts.bold });
				flow.y -= HEADING.after;
				break;
			}
			case 'paragraph':
				drawParagraph(flow, block.text, MARGIN.left, CONTENT_WIDTH);
				flow.gap(PARAGRAPH_GAP);
				break;
			case 'list':
				for (const item of block.items) {
					flow.ensure(BODY.lineHeight);
					drawTextLine(flow.canvas, '•', {
						x: MARGIN.left + 4,
						y: baseline(flow.y, BODY.size, BODY.lineHeight),
						size: BODY.size,
						font: flow.fonts.regular,
						color: COLOR.text
					});
					drawParagraph(flow, item, MARGIN.left + LIST_INDENT, CONTENT_WIDTH - LIST_INDENT);
					flow.gap(2);
				}
				flow.gap(PARAGRAPH_GAP);
				break;
			case 'annex1':
				drawTable(flow, annexSpec(input));
				flow.gap(PARAGRAPH_GAP * 2);
				break;
		}
	});
}

function drawSectionHeading(flow: Flow, text: string): void {
	for (const line of wrapText(text, flow.fonts.bold, HEADING.size + 2, CONTENT_WIDTH)) {
		flow.line(line, MARGIN.left, { font: flow.fonts.bold, size: HEADING.size + 2, lineHeight: HEADING.lineHeight + 3 });
	}
	flow.y -= 8;
}

function drawSignatures(flow: Flow, page: NonNullable<AgreementPdfInput['signaturePage']>): void {
	flow.newPage();
	drawSectionHeading(flow, page.heading);
	const keys = ['party', 'name', 'title', 'organisation', 'signedAt', 'method'] as const;
	for (const signature of page.signatures) {
		const rows = keys.map((key) => [page.labels[key], signature[key]]);
		drawTable(flow, { widths: [0.32, 0.68], rows, size: BODY.size - 0.5, labelColumn: true, keepTogether: true });
		flow.gap(16);
	}
}

function drawAudit(flow: Flow, page: NonNullable<AgreementPdfInput['auditPage']>): void {
	flow.newPage();
	drawSectionHeading(flow, page.heading);
	const { at, actor, event } = page.labels;
	const rows = page.events.map((e) => [e.at, e.actor, e.event]);
	drawTable(flow, { widths: [0.21, 0.31, 0.48], header: [at, actor, event], rows, size: TABLE_SIZE - 0.5 });
}

/** Light diagonal text from corner to corner, painted before the content so text stays on top. */
function drawWatermark(canvas: PageCanvas, fonts: Fonts, text: string): void {
	const angle = Math.atan2(PAGE.height, PAGE.width);
	const diagonal = Math.hypot(PAGE.width, PAGE.height);
	const size = Math.min(110, (diagonal * 0.6) / (fonts.bold.widthOfTextAtSize(text, 1) || 1));
	const width = fonts.bold.widthOfTextAtSize(text, size);
	const half = size * 0.36; // about half the cap height, to centre the glyphs on the diagonal
	canvas.text(text, {
		x: PAGE.width / 2 - Math.cos(angle) * (width / 2) + Math.sin(angle) * half,
		y: PAGE.height / 2 - Math.sin(angle) * (width / 2) - Math.cos(angle) * half,
		size,
		font: fonts.bold,
		color: COLOR.watermark,
		angle
	});
}

function drawFooters(canvases: PageCanvas[], fonts: Fonts, input: AgreementPdfInput): void {
	const size = 7.5;
	const y = 13 * MM;
	canvases.forEach((canvas, i) => {
		const label = input.pageLabel(i + 1, canvases.length);
		const labelWidth = fonts.regular.widthOfTextAtSize(label, size);
		const right = PAGE.width - MARGIN.right;
		canvas.line({ x: MARGIN.left, y: y + 11 }, { x: right, y: y + 11 }, 0.4, COLOR.rule);
		const footer = truncate(input.footer.replace(/\s+/g, ' '), fonts.regular, size, CONTENT_WIDTH - labelWidth - 16);
		drawTextLine(canvas, footer, { x: MARGIN.left, y, size, font: fonts.regular, color: COLOR.muted });
		drawTextLine(canvas, label, { x: right - labelWidth, y, size, font: fonts.regular, color: COLOR.muted });
	});
}

function setMetadata(doc: PDFDocument, input: AgreementPdfInput): void {
	const { subject, keywords, author, creationDate } = input.metadata;
	const tag = `liitos-agreement:${input.agreementId}`;
	doc.setTitle(input.title, { showInWindowTitleBar: true });
	doc.setSubject(subject);
	doc.setKeywords(keywords.includes(tag) ? keywords : [...keywords, tag]);
	doc.setAuthor(author);
	doc.setCreator('Liitos');
	doc.setProducer('Liitos');
	doc.setCreationDate(creationDate);
	doc.setModificationDate(creationDate);
	doc.catalog.set(PDFName.of('Lang'), PDFString.of(input.language));
}

/**
 * Renders the agreement as a finished A4 document; the same input always yields the same bytes.
 * Characters outside the fonts' repertoire (pdf-fonts.ts) are drawn as U+FFFD.
 */
export async function renderAgreementPdf(input: AgreementPdfInput): Promise<Uint8Array> {
	// updateMetadata: false keeps pdf-lib from stamping the current time into the document.
	const doc = await PDFDocument.create({ updateMetadata: false });
	const fonts = await loadFontPrograms();
	const watermark = input.draftWatermark?.trim();
	const flow = new Flow(doc, fonts, watermark ? (canvas) => drawWatermark(canvas, fonts, watermark) : undefined);

	for (const line of wrapText(input.title, fonts.bold, TITLE.size, CONTENT_WIDTH)) {
		flow.line(line, MARGIN.left, { font: fonts.bold, ...TITLE });
	}
	flow.y -= 6;
	flow.canvas.line({ x: MARGIN.left, y: flow.y }, { x: PAGE.width - MARGIN.right, y: flow.y }, 0.8, COLOR.text);
	flow.y -= 14;

	drawBlocks(flow, input);
	if (input.signaturePage) drawSignatures(flow, input.signaturePage);
	if (input.auditPage) drawAudit(flow, input.auditPage);
	drawFooters(flow.canvases, fonts, input);
	flow.finish({ [fonts.regular.resourceName]: fonts.regular.embed(doc.context), [fonts.bold.resourceName]: fonts.bold.embed(doc.context) });
	setMetadata(doc, input);
	// Every stream is compressed already; object streams would add pdf-lib's own (slower) deflate
	// for the small dictionaries, and a classic cross-reference table costs only a few kB.
	return doc.save({ useObjectStreams: false, objectsPerTick: Infinity }); // no pauses for the event loop: each costs a timer tick
}
