/**
 * Moves the focus to an element when it appears: the error message after a failed submit is then
 * read out by screen readers, and the keyboard carries on from it rather than from the page's top.
 * Give the element tabindex="-1" so it can hold the focus.
 */
export function takeFocus(node: HTMLElement): void {
	node.focus();
}
