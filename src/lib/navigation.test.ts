import { describe, expect, it } from 'vitest';
import { buildNavigation, isCurrentPath, type NavEntry, type NavFlags } from './navigation';

const NONE: NavFlags = {
	tenants: false,
	ownTenant: false,
	agreements: false,
	verify: false,
	certificates: false,
	instructions: false,
	myInstructions: false,
	training: false,
	myTraining: false,
	incidents: false,
	announcements: false,
	securityPlan: false,
	ownSecurityPlan: false,
	bindingPlan: false,
	organisation: false,
	services: false,
	prerequisites: false,
	audit: false,
	outbox: false,
	apiTokens: false,
	webhooks: false
};

/** Entries as short strings: a link's href, or a group's key with its hrefs. */
const shape = (entries: NavEntry[]) =>
	entries.map((e) => (e.kind === 'link' ? e.link.href : `${e.key}: ${e.links.map((l) => l.href).join(' ')}`));

describe('buildNavigation', () => {
	it("groups a main connector administrator's eighteen links under six entries", () => {
		const all = Object.fromEntries(Object.keys(NONE).map((k) => [k, true])) as unknown as NavFlags;
		const admin = { ...all, ownTenant: false, myInstructions: false, myTraining: false, ownSecurityPlan: false, bindingPlan: false };
		expect(shape(buildNavigation(admin, null))).toEqual([
			'/',
			'/tenants',
			'agreements: /agreements /verify',
			'compliance: /certificates /instructions /training /incidents /announcements /security-plan',
			'organisation: /organisation /services /prerequisites',
			'administration: /audit /outbox /api-tokens /webhooks'
		]);
	});

	it('shows a group with one allowed link as that link, and leaves out empty groups', () => {
		const staff = { ...NONE, ownTenant: true, agreements: true, myInstructions: true, myTraining: true, incidents: true };
		expect(shape(buildNavigation(staff, 't-1'))).toEqual([
			'/',
			'/tenants/t-1',
			'/agreements',
			'compliance: /my-instructions /my-training /incidents'
		]);
	});
});

describe('isCurrentPath', () => {
	it('matches the page and pages below it, not pages that merely share a prefix', () => {
		expect(isCurrentPath('/tenants', '/tenants')).toBe(true);
		expect(isCurrentPath('/tenants/abc/checklist', '/tenants')).toBe(true);
		expect(isCurrentPath('/training', '/train')).toBe(false);
		expect(isCurrentPath('/tenants', '/')).toBe(false);
		expect(isCurrentPath('/', '/')).toBe(true);
	});
});
