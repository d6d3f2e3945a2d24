import MarkdownIt from 'markdown-it';

/**
 * Instruction text is Markdown written in the portal. Raw HTML is never passed through (it is
 * shown as text), and markdown-it's link check refuses javascript:, vbscript:, file: and data:
 * links, so nothing an author types can run in a reader's browser.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
	// External links open without giving the other site a handle on this page.
	tokens[idx].attrSet('rel', 'noopener noreferrer');
	return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): string {
	return markdown.render(text);
}
