import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFNumber, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';

/**
 * The characters an agreement PDF can show: Latin-1 and Latin Extended-A (Finnish, Swedish, the
 * other EU languages written in Latin script), the Romanian comma-below letters, and the
 * typographic punctuation of the templates and of dates and numbers as Intl formats them.
 * Every document embeds the same font programs whole, so the font streams, glyph widths and
 * encoded words made once serve every document the process renders.
 */
const REPERTOIRE_RANGES: [first: number, last: number][] = [
	[0x20, 0x7e], // Basic Latin
	[0xa0, 0xff], // Latin-1 Supplement: no-break space, § « » · å ä ö ø é ü ß …
	[0x100, 0x17f], // Latin Extended-A: č š ž ő ł ā …
	[0x218, 0x21b] // Ș ș Ț ț
];
const REPERTOIRE_PUNCTUATION =
	'\u2007\u2009\u2010\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u202f\u2030\u2032\u2033\u2039\u203a\u20ac\u2122\u2212';

/** What is drawn for a character outside the repertoire: U+FFFD, which also extracts as itself. */
export const SUBSTITUTE = '\uFFFD';

// Controls and format characters (soft hyphen, zero-width space, byte-order mark, variation
// selectors) have no visible form: they are dropped, never drawn or substituted.
const INVISIBLE = /[\p{Cc}\p{Default_Ignorable_Code_Point}]/u;

export const REPERTOIRE: ReadonlySet<number> = new Set(
	[
		...REPERTOIRE_RANGES.flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i)),
		...Array.from(REPERTOIRE_PUNCTUATION, (char) => char.codePointAt(0)!),
		SUBSTITUTE.codePointAt(0)!
	].filter((codePoint) => !INVISIBLE.test(String.fromCodePoint(codePoint)))
);

interface Glyph {
	code: string; // the glyph's id in the embedded program, two bytes as Identity-H reads them
	width: number; // advance at size 1, in points
}

/** A word as drawn: its glyph codes for `Tj` and its width at size 1. */
interface Shaped {
	code: string;
	width: number;
}

/** One font program of the repertoire, prepared once per process and shared by every document. */
export class FontProgram {
	private readonly words = new Map<string, Shaped>();
	private readonly space: Shaped;

	constructor(
		readonly baseFont: string,
		/** The name under which every page's resources refer to the font. */
		readonly resourceName: string,
		private readonly glyphs: ReadonlyMap<number, Glyph>,
		private readonly substitute: Glyph,
		private readonly objects: FontObjects
	) {
		this.space = this.shape(' ');
	}

	/**
	 * A word's glyphs, one per character through the font's character map. No ligatures: DejaVu's
	 * fi and fl change little in a sans face, and without them the text extracts and
	 * searches letter for letter. Text is composed (NFC) first, so a decomposed "å" draws as å.
	 */
	private shape(word: string): Shaped {
		let shaped = this.words.get(word);
		if (shaped) return shaped;
		let code = '';
		let width = 0;
		for (const char of word.normalize('NFC')) {
			const glyph = this.glyphs.get(char.codePointAt(0)!) ?? (INVISIBLE.test(char) ? undefined : this.substitute);
			if (!glyph) continue;
			code += glyph.code;
			width += glyph.width;
		}
		if (this.words.size >= 50_000) this.words.clear(); // a bound, not an eviction policy: documents repeat their words
		this.words.set(word, (shaped = { code, width }));
		return shaped;
	}

	/** Width of one line of text at `size`; a line's glyphs are its words' glyphs and the spaces'. */
	widthOfTextAtSize(text: string, size: number): number {
		if (!text.includes(' ')) return this.shape(text).width * size; // wrapping measures word by word
		let width = 0;
		let words = 0;
		for (const word of text.split(' ')) {
			width += this.shape(word).width;
			words++;
		}
		return (width + (words - 1) * this.space.width) * size;
	}

	/**
	 * The body of the literal string `Tj` shows for a line of text: two bytes a glyph, escaped
	 * where PDF's string syntax needs it. Half the size of a hex string, so the page contents
	 * deflate in half the time.
	 */
	encode(text: string): string {
		if (!text.includes(' ')) return this.shape(text).code;
		return text
			.split(' ')
			.map((word) => this.shape(word).code)
			.join(this.space.code);
	}

	/**
	 * Adds the font to a document: Type 0 font, CID font with the widths of the whole repertoire,
	 * descriptor, and the program and its ToUnicode map as streams compressed once per process.
	 */
	embed(context: PDFContext): PDFRef {
		const { descriptor, widths, program, programLength, toUnicode } = this.objects;
		const fontFile = context.register(context.stream(program, { Filter: 'FlateDecode', Length1: programLength }));
		const descriptorRef = context.register(
			context.obj({ Type: 'FontDescriptor', FontName: this.baseFont, ...descriptor, FontFile2: fontFile })
		);
		const cidFont = context.register(
			context.obj({
				Type: 'Font',
				Subtype: 'CIDFontType2',
				CIDToGIDMap: 'Identity',
				BaseFont: this.baseFont,
				CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
				FontDescriptor: descriptorRef,
				W: [0, widths]
			})
		);
		return context.register(
			context.obj({
				Type: 'Font',
				Subtype: 'Type0',
				BaseFont: this.baseFont,
				Encoding: 'Identity-H',
				DescendantFonts: [cidFont],
				ToUnicode: context.register(context.stream(toUnicode, { Filter: 'FlateDecode' }))
			})
		);
	}
}

/** What every document's copy of a font is made of, computed once. */
interface FontObjects {
	descriptor: Record<string, number | number[]>;
	widths: PDFNumber[]; // by glyph id in the program, in thousandths of the em; made once, as each formats its number
	program: Uint8Array; // deflated TrueType
	programLength: number;
	toUnicode: Uint8Array; // deflated CMap
}

type FontkitFont = ReturnType<typeof fontkit.create>;

function encodeSubset(subset: ReturnType<FontkitFont['createSubset']>): Promise<Uint8Array> {
	return new Promise((resolve) => {
		const chunks: Uint8Array[] = [];
		subset
			.encodeStream()
			.on('data', (chunk) => chunks.push(chunk))
			.on('end', () => resolve(Buffer.concat(chunks)));
	});
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

// Inside a literal string, parentheses and the backslash are syntax, and a bare CR would be read as LF.
const ESCAPES: Record<number, string> = { 0x0a: '\\n', 0x0d: '\\r', 0x28: '\\(', 0x29: '\\)', 0x5c: '\\\\' };
const byteInString = (byte: number) => ESCAPES[byte] ?? String.fromCharCode(byte);
/** A glyph id as the two bytes of an Identity-H code, written for a literal string in a latin1 stream. */
const glyphCode = (id: number) => byteInString(id >> 8) + byteInString(id & 0xff);

/** A ToUnicode CMap (bfchar, at most 100 entries a block as the CMap format requires). */
function toUnicodeCMap(unicodeOf: Map<number, number>): string {
	const entries = [...unicodeOf].map(([id, codePoint]) => `<${hex4(id)}> <${hex4(codePoint)}>`);
	const blocks: string[] = [];
	for (let i = 0; i < entries.length; i += 100) {
		const block = entries.slice(i, i + 100);
		blocks.push(`${block.length} beginbfchar\n${block.join('\n')}\nendbfchar`);
	}
	return [
		'/CIDInit /ProcSet findresource begin',
		'12 dict begin',
		'begincmap',
		'/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
		'/CMapName /Adobe-Identity-UCS def',
		'/CMapType 2 def',
		'1 begincodespacerange',
		'<0000> <ffff>',
		'endcodespacerange',
		...blocks,
		'endcmap',
		'CMapName currentdict /CMapResource defineresource pop',
		'end',
		'end'
	].join('\n');
}

/** Cuts the repertoire out of a TTF with fontkit and works out everything a document needs of it. */
async function prepareFont(ttf: Uint8Array, baseFont: string, resourceName: string): Promise<FontProgram> {
	const font = fontkit.create(ttf);
	const subset = font.createSubset(); // holds .notdef as glyph 0
	const scale = 1000 / font.unitsPerEm;
	const glyphs = new Map<number, Glyph>();
	const widths: number[] = [0];
	const unicodeOf = new Map<number, number>();
	for (const codePoint of [...REPERTOIRE].sort((a, b) => a - b)) {
		if (!font.hasGlyphForCodePoint(codePoint)) throw new Error(`${baseFont} has no glyph for U+${hex4(codePoint)}`);
		const glyph = font.glyphForCodePoint(codePoint);
		const id = subset.includeGlyph(glyph);
		const advance = glyph.advanceWidth * scale;
		widths[id] = advance;
		// Characters sharing a glyph (space and no-break space) extract as the first of them.
		if (!unicodeOf.has(id)) unicodeOf.set(id, codePoint);
		glyphs.set(codePoint, { code: glyphCode(id), width: advance / 1000 });
	}
	const program = await encodeSubset(subset);
	const { minX, minY, maxX, maxY } = font.bbox;
	const objects: FontObjects = {
		// Flags 4: symbolic, as for any font whose glyphs are reached through CIDs rather than a standard encoding.
		descriptor: {
			Flags: 4,
			FontBBox: [minX * scale, minY * scale, maxX * scale, maxY * scale],
			ItalicAngle: font.italicAngle,
			Ascent: font.ascent * scale,
			Descent: font.descent * scale,
			CapHeight: (font.capHeight || font.ascent) * scale,
			XHeight: (font.xHeight || 0) * scale,
			StemV: 0
		},
		widths: widths.map((width) => PDFNumber.of(width)),
		program: deflateSync(program, { level: 9 }),
		programLength: program.length,
		toUnicode: deflateSync(Buffer.from(toUnicodeCMap(unicodeOf), 'latin1'), { level: 9 })
	};
	return new FontProgram(baseFont, resourceName, glyphs, glyphs.get(SUBSTITUTE.codePointAt(0)!)!, objects);
}

export interface FontPrograms {
	regular: FontProgram;
	bold: FontProgram;
}

let programs: Promise<FontPrograms> | undefined;

/** The regular and bold programs, made at first use and kept for the life of the process. */
export function loadFontPrograms(): Promise<FontPrograms> {
	const resolve = createRequire(import.meta.url).resolve;
	programs ??= (async () => {
		const [regular, bold] = await Promise.all([
			readFile(resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
			readFile(resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))
		]);
		// PDF names a subset font with a six-letter tag (ISO 32000 9.6.4): these are subsets of DejaVu.
		return {
			regular: await prepareFont(regular, 'LIITOA+DejaVuSans', 'F1'),
			bold: await prepareFont(bold, 'LIITOB+DejaVuSans-Bold', 'F2')
		};
	})().catch((error) => {
		programs = undefined; // let a later call retry instead of caching the failure
		throw error;
	});
	return programs;
}
