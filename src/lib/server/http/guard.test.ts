import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/server/auth/session';
import { authorize, authorizeOwnership } from './guard';

const url = new URL('http://localhost/tenants/t1?tab=people');
const eventOf = (user: SessionUser | null) => ({ locals: { user } as App.Locals, url });
const staff: SessionUser = { id: 'u1', email: 's@example.fi', name: 'S', tenantId: 't1', roles: ['tenant_staff'] };
const admin: SessionUser = { ...staff, id: 'u2', roles: ['tenant_admin'] };

/** What the gate threw: a redirect's location or an HTTP error's status. */
function outcome(gate: () => unknown): string | number | 'passed' {
	try {
		gate();
		return 'passed';
	} catch (thrown) {
		if (isRedirect(thrown)) return thrown.location;
		if (isHttpError(thrown)) return thrown.status;
		throw thrown;
	}
}

describe('authorize', () => {
	it('sends the signed-out to the login page, keeping where they were going', () => {
		expect(outcome(() => authorize(eventOf(null), 'tenant.view', { tenantId: 't1' }))).toBe('/login?next=%2Ftenants%2Ft1%3Ftab%3Dpeople');
	});

	it('answers 404 for another tenant’s data, so its existence is not revealed', () => {
		expect(outcome(() => authorize(eventOf(admin), 'tenant.view', { tenantId: 't2' }))).toBe(404);
	});

	it('answers 403 for an action the role does not have, when no tenant is involved', () => {
		expect(outcome(() => authorize(eventOf(admin), 'template.manage'))).toBe(403);
	});

	it('lets the allowed through and returns the person', () => {
		expect(authorize(eventOf(admin), 'tenant.people.manage', { tenantId: 't1' })).toBe(admin);
	});
});

describe('authorizeOwnership', () => {
	it('answers 404 when the policy refuses, and lets the person through when it allows', () => {
		expect(outcome(() => authorizeOwnership(eventOf(staff), () => false))).toBe(404);
		expect(authorizeOwnership(eventOf(staff), (user) => user.id === 'u1')).toBe(staff);
		expect(outcome(() => authorizeOwnership(eventOf(null), () => true))).toBe('/login?next=%2Ftenants%2Ft1%3Ftab%3Dpeople');
	});
});
