import { describe, expect, it } from 'vitest';
import { safeNext } from './session-cookie';

const ORIGIN = 'https://portal.example';

/** Where a browser on the portal ends up when sent to `location`. */
const landsOn = (location: string) => new URL(location, `${ORIGIN}/login`).origin;

describe('safeNext', () => {
	it.each([
		['/tenants', '/tenants'],
		['/tenants/42?tab=people#contacts', '/tenants/42?tab=people#contacts'],
		['/', '/'],
		['tenants', '/tenants'],
		['?page=2', '/?page=2'],
		// Percent-encoded characters stay encoded: the browser does not decode them into a host.
		['/%09/evil.example', '/%09/evil.example'],
		['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
		['/%5Cevil.example', '/%5Cevil.example'],
		['%2F%2Fevil.example', '/%2F%2Fevil.example'],
		// A path that normalises to `//host` keeps to the portal.
		['/.//evil.example', '/evil.example'],
		['/a/..//evil.example', '/evil.example'],
		// One backslash, or the portal's own scheme without a host: a path on the portal, as a browser reads it.
		['\\evil.example\\', '/evil.example/'],
		['https:evil.example', '/evil.example'],
		// The portal's own absolute address becomes a path.
		[`${ORIGIN}/agreements?status=in_force`, '/agreements?status=in_force'],
		['HTTPS://PORTAL.EXAMPLE/outbox', '/outbox']
	])('keeps %j on the portal as %j', (next, expected) => {
		expect(safeNext(next, ORIGIN)).toBe(expected);
		expect(landsOn(safeNext(next, ORIGIN))).toBe(ORIGIN);
	});

	it.each([
		'//evil.example',
		'///evil.example',
		'////evil.example/path',
		'/\\evil.example',
		'\\\\evil.example',
		'\\/evil.example',
		'/\\/evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r\n/evil.example',
		'\t//evil.example',
		'/\t\\evil.example',
		' //evil.example',
		'\u0000//evil.example',
		'https://evil.example',
		'https://evil.example/tenants',
		'http://portal.example/',
		'https://portal.example:8443/',
		'http:evil.example',
		'http:/evil.example',
		'https://portal.example@evil.example/',
		'https://user:password@evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(document.cookie)',
		'java\tscript:alert(1)',
		' javascript:alert(1)',
		'data:text/html,<script>alert(1)</script>',
		'vbscript:msgbox(1)',
		'mailto:someone@evil.example',
		'http://[::1',
		// Credentials in front of the portal's host: no reason for a sign-in link to carry them.
		'https://evil.example%2F@portal.example'
	])('sends %j home instead', (next) => {
		expect(safeNext(next, ORIGIN)).toBe('/');
	});

	it('sends an empty or missing value home', () => {
		expect(safeNext(null, ORIGIN)).toBe('/');
		expect(safeNext('', ORIGIN)).toBe('/');
	});

	it("uses the portal's configured origin by default", () => {
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext('/tenants')).toBe('/tenants');
	});
});
