import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
	it('renders headings, lists, emphasis and links', () => {
		const html = renderMarkdown('# Ohje\n\n- **tärkeä** kohta\n- [Kanta](https://www.kanta.fi)');
		expect(html).toContain('<h1>Ohje</h1>');
		expect(html).toContain('<strong>tärkeä</strong>');
		expect(html).toContain('<a href="https://www.kanta.fi" rel="noopener noreferrer">Kanta</a>');
	});

	it('never lets a script tag through', () => {
		const html = renderMarkdown('Hei <script>alert(1)</script>');
		expect(html).not.toContain('<script');
		expect(html).toContain('&lt;script&gt;');
	});

	it('refuses javascript: and data: links', () => {
		for (const link of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox']) {
			const html = renderMarkdown(`[click](${link})`);
			expect(html, link).not.toMatch(/<a /);
		}
	});

	it('shows event attributes in raw HTML as text, not as markup', () => {
		const html = renderMarkdown('<img src=x onerror="alert(1)"> and <a href="#" onclick="x()">a</a>');
		expect(html).not.toMatch(/<img|<a /);
		expect(html).toContain('&lt;img');
	});
});
