import { PDFName, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import { PageCanvas, type Color } from './pdf-canvas';
import type { FontProgram, FontPrograms } from './pdf-fonts';

/** Page geometry and palette shared by the agreement renderer (points; 1 mm ≈ 2.835 pt). */
export const MM = 72 / 25.4;
export const PAGE = { width: 595.28, height: 841.89 };
export const MARGIN = { top: 22 * MM, bottom: 24 * MM, left: 22 * MM, right: 22 * MM };
export const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
export const COLOR = {
	text: '0.1 0.1 0.12',
	muted: '0.42 0.44 0.47',
	rule: '0.62 0.64 0.67',
	fill: '0.92 0.93 0.95',
	watermark: '0.9 0.91 0.92'
} satisfies Record<string, Color>;

export type Fonts = FontPrograms;

// DejaVu's vertical metrics (hhea ascender/descender in em); used to centre a line in its box.
const ASCENT = 0.928;
const DESCENT = 0.236;

/** Baseline of a line whose box starts at `top`, so glyphs sit centred however tall the line is. */
export function baseline(top: number, size: number, lineHeight: number): number {
	return top - (lineHeight - (ASCENT + DESCENT) * size) / 2 - ASCENT * size;
}

/** Only printable text: control characters would draw as .notdef boxes. */
function clean(text: string): string {
	// eslint-disable-next-line no-control-regex -- removing control characters is the point
	return text.replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}

/** Greedy word wrap measured with the real font; explicit newlines are kept, too-long words are cut. */
export function wrapText(text: string, font: FontProgram, size: number, width: number): string[] {
	const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
	const space = font.widthOfTextAtSize(' ', size);
	const lines: string[] = [];
	for (const source of clean(text).split('\n')) {
		let line = '';
		let lineWidth = 0;
		// No-break spaces (as in "1 250 €") are not break opportunities.
		for (const word of source.split(/[^\S\u00a0\u202f]+/).filter(Boolean)) {
			const ownWidth = font.widthOfTextAtSize(word, size);
			const candidateWidth = (line ? lineWidth + space : 0) + ownWidth;
			if (candidateWidth <= width) {
				line = line ? `${line} ${word}` : word;
				lineWidth = candidateWidth;
				continue;
			}
			if (line) lines.push(line);
			line = '';
			if (ownWidth <= width) {
				line = word;
				lineWidth = ownWidth;
				continue;
			}
			// A word wider than the column (an URL, an OID) is cut by characters rather than overflowing.
			for (const char of Array.from(word)) {
				if (line && !fits(line + char)) {
					lines.push(line);
					line = '';
				}
				line += char;
			}
			lineWidth = font.widthOfTextAtSize(line, size);
		}
		lines.push(line);
	}
	return lines;
}

/** One line of text at its baseline. */
export function drawTextLine(
	canvas: PageCanvas,
	text: string,
	at: { x: number; y: number; size: number; font: FontProgram; color: Color }
): void {
	if (text) canvas.text(text, at);
}

/** Shortens a single line with an ellipsis so it fits `width`. */
export function truncate(text: string, font: FontProgram, size: number, width: number): string {
	if (font.widthOfTextAtSize(text, size) <= width) return text;
	const chars = Array.from(text);
	while (chars.length && font.widthOfTextAtSize(chars.join('') + '…', size) > width) chars.pop();
	return chars.join('') + '…';
}

/** A top-to-bottom cursor over pages; `onNewPage` lets the caller paint backgrounds such as a watermark. */
export class Flow {
	private readonly pages: PDFPage[] = [];
	readonly canvases: PageCanvas[] = [];
	canvas!: PageCanvas;
	y = 0;

	constructor(
		private readonly doc: PDFDocument,
		readonly fonts: Fonts,
		private readonly onNewPage: (canvas: PageCanvas) => void = () => {}
	) {
		this.newPage();
	}

	get atTop(): boolean {
		return this.y === PAGE.height - MARGIN.top;
	}

	get room(): number {
		return this.y - MARGIN.bottom;
	}

	newPage(): void {
		this.pages.push(this.doc.addPage([PAGE.width, PAGE.height]));
		this.canvases.push((this.canvas = new PageCanvas()));
		this.y = PAGE.height - MARGIN.top;
		this.onNewPage(this.canvas);
	}

	/** Writes every page's content; all pages share one resource dictionary naming the two fonts. */
	finish(fontRefs: Record<string, PDFRef>): void {
		const { context } = this.doc;
		const resources = context.register(context.obj({ Font: fontRefs }));
		this.pages.forEach((page, i) => {
			page.node.set(PDFName.of('Resources'), resources);
			page.node.set(PDFName.of('Contents'), this.canvases[i].finish(context));
		});
	}

	/** Starts a new page unless `height` still fits (a fresh page is never abandoned). */
	ensure(height: number): void {
		if (height > this.room && !this.atTop) this.newPage();
	}

	/** Vertical gap that is swallowed at the top of a page. */
	gap(height: number): void {
		if (!this.atTop) this.y -= Math.min(height, this.room);
	}

	line(text: string, x: number, opts: { font?: FontProgram; size: number; lineHeight: number; color?: Color }): void {
		this.ensure(opts.lineHeight);
		drawTextLine(this.canvas, text, {
			x,
			y: baseline(this.y, opts.size, opts.lineHeight),
			size: opts.size,
			font: opts.font ?? this.fonts.regular,
			color: opts.color ?? COLOR.text
		});
		this.y -= opts.lineHeight;
	}
}

export interface TableSpec {
	widths: number[]; // fractions of the content width
	header?: string[];
	rows: string[][];
	size: number;
	labelColumn?: boolean; // first column styled as a label (key–value blocks)
	keepTogether?: boolean; // move the whole table to the next page rather than split it
}

const PAD_X = 5;
const PAD_Y = 3.5;

function lineHeightOf(spec: TableSpec): number {
	return spec.size * 1.4;
}

function wrapRow(flow: Flow, spec: TableSpec, cells: string[], header: boolean): string[][] {
	return cells.map((cell, i) => {
		const bold = header || (spec.labelColumn && i === 0);
		const font = bold ? flow.fonts.bold : flow.fonts.regular;
		return wrapText(cell, font, spec.size, spec.widths[i] * CONTENT_WIDTH - 2 * PAD_X);
	});
}

function rowHeight(spec: TableSpec, lines: string[][]): number {
	return Math.max(1, ...lines.map((l) => l.length)) * lineHeightOf(spec) + 2 * PAD_Y;
}

/** Height of the header plus the first row: what a preceding heading must stay with. */
export function tableLeadHeight(flow: Flow, spec: TableSpec): number {
	const header = spec.header ? rowHeight(spec, wrapRow(flow, spec, spec.header, true)) : 0;
	const first = spec.rows[0] ? rowHeight(spec, wrapRow(flow, spec, spec.rows[0], false)) : 0;
	return header + first;
}

function drawRow(flow: Flow, spec: TableSpec, lines: string[][], header: boolean): void {
	const lh = lineHeightOf(spec);
	const height = rowHeight(spec, lines);
	let x = MARGIN.left;
	lines.forEach((cellLines, i) => {
		const width = spec.widths[i] * CONTENT_WIDTH;
		const label = spec.labelColumn && i === 0;
		flow.canvas.rect(x, flow.y - height, width, height, { color: COLOR.rule, width: 0.5 }, header || label ? COLOR.fill : undefined);
		cellLines.forEach((text, n) => {
			drawTextLine(flow.canvas, text, {
				x: x + PAD_X,
				y: baseline(flow.y - PAD_Y - n * lh, spec.size, lh),
				size: spec.size,
				font: header || label ? flow.fonts.bold : flow.fonts.regular,
				color: COLOR.text
			});
		});
		x += width;
	});
	flow.y -= height;
}

/** A bordered table; the header is repeated on every page the table reaches. */
export function drawTable(flow: Flow, spec: TableSpec): void {
	const lh = lineHeightOf(spec);
	const headerLines = spec.header ? wrapRow(flow, spec, spec.header, true) : undefined;
	const headerHeight = headerLines ? rowHeight(spec, headerLines) : 0;
	const rows = spec.rows.map((r) => wrapRow(flow, spec, r, false));
	const total = headerHeight + rows.reduce((sum, r) => sum + rowHeight(spec, r), 0);
	flow.ensure(spec.keepTogether ? total : tableLeadHeight(flow, spec));
	if (headerLines) drawRow(flow, spec, headerLines, true);

	const fullPage = PAGE.height - MARGIN.top - MARGIN.bottom - headerHeight;
	for (const row of rows) {
		let rest = row;
		while (rest.some((cell) => cell.length)) {
			const needed = rowHeight(spec, rest);
			// Split a row only when it could not fit even on a fresh page.
			const fit = needed <= flow.room ? Infinity : needed > fullPage ? Math.floor((flow.room - 2 * PAD_Y) / lh) : 0;
			if (fit < 1) {
				flow.newPage();
				if (headerLines) drawRow(flow, spec, headerLines, true);
				continue;
			}
			drawRow(
				flow,
				spec,
				rest.map((cell) => cell.slice(0, fit)),
				false
			);
			rest = rest.map((cell) => cell.slice(fit));
		}
	}
}
