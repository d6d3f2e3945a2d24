import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { acknowledgementTally, tenantAudience, type Role, type User } from '../db/schema';
import { toSessionUser } from '../auth/session';
import { getUser } from '../auth/accounts';
import { redeemToken } from '../auth/email-links';
import { deactivatePerson, invitePerson, reactivatePerson, setRoles } from '../people/people';
import { setTenantArchived } from '../tenants/tenants';
import { addTenant, freshDb, setUpMainConnector } from '../test-support';
import {
	acknowledge,
	coverageByTenant,
	coverageByTenantParts,
	coverageCounts,
	createInstruction,
	currentVersion,
	getInstruction,
	publishVersion,
	updateInstructionSettings,
	type InstructionContent
} from './instructions';
import { rebuildCoverageTallies } from './coverage-tallies';

/**
 * The coverage counts are kept by triggers (migration 0007). Whatever happens to people, roles,
 * tenants, versions and acknowledgements, they must equal counting the people one by one.
 */

const CONTENT: InstructionContent = {
	titleFi: 'Ohje',
	bodyFi: 'Teksti.',
	titleSv: 'Anvisning',
	bodySv: 'Text.',
	titleEn: null,
	bodyEn: null
};
const CLIENT = { ipAddress: '192.0.2.9', userAgent: 'test' };
const TENANTS = 3;
const INSTRUCTIONS = 3;

type Op =
	| { kind: 'join'; tenant: number; admin: boolean }
	| { kind: 'deactivate'; person: number }
	| { kind: 'reactivate'; person: number }
	| { kind: 'roles'; person: number; admin: boolean }
	| { kind: 'acknowledge'; person: number; instruction: number }
	| { kind: 'publish'; instruction: number; material: boolean }
	| { kind: 'archive'; tenant: number; archived: boolean }
	| { kind: 'settings'; instruction: number; allTenants: boolean; chosen: number[]; admins: boolean };

const index = (max: number) => fc.integer({ min: 0, max: max - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
	{ arbitrary: fc.record({ kind: fc.constant('join' as const), tenant: index(TENANTS), admin: fc.boolean() }), weight: 4 },
	fc.record({ kind: fc.constant('deactivate' as const), person: index(20) }),
	fc.record({ kind: fc.constant('reactivate' as const), person: index(20) }),
	fc.record({ kind: fc.constant('roles' as const), person: index(20), admin: fc.boolean() }),
	{ arbitrary: fc.record({ kind: fc.constant('acknowledge' as const), person: index(20), instruction: index(INSTRUCTIONS) }), weight: 6 },
	fc.record({ kind: fc.constant('publish' as const), instruction: index(INSTRUCTIONS), material: fc.boolean() }),
	fc.record({ kind: fc.constant('archive' as const), tenant: index(TENANTS), archived: fc.boolean() }),
	fc.record({
		kind: fc.constant('settings' as const),
		instruction: index(INSTRUCTIONS),
		allTenants: fc.boolean(),
		chosen: fc.uniqueArray(index(TENANTS), { minLength: 1 }),
		admins: fc.boolean()
	})
);

function world() {
	const db = freshDb();
	const admin = setUpMainConnector(db);
	const tenants = Array.from({ length: TENANTS }, () => addTenant(db, admin));
	const instructions = [
		createInstruction(
			db,
			admin,
			{ category: 'card_handling', allTenants: true, tenantIds: [], audience: 'all_staff', requiresAck: true },
			CONTENT
		),
		createInstruction(
			db,
			admin,
			{ category: 'client_data', allTenants: false, tenantIds: [tenants[0]], audience: 'all_staff', requiresAck: true },
			CONTENT
		),
		createInstruction(
			db,
			admin,
			{ category: 'security_policy', allTenants: true, tenantIds: [], audience: 'tenant_admins', requiresAck: true },
			CONTENT
		)
	];
	return { db, admin, tenants, instructions, people: [] as string[] };
}

function apply(w: ReturnType<typeof world>, step: Op) {
	const { db, admin } = w;
	const person = (n: number): User | undefined => (w.people.length ? getUser(db, w.people[n % w.people.length]) : undefined);
	switch (step.kind) {
		case 'join': {
			// Through the invitation, as in the portal: invited first, active once the link is used.
			const roles: Role[] = step.admin ? ['tenant_admin', 'tenant_staff'] : ['tenant_staff'];
			const invited = invitePerson(db, admin, {
				email: `p${w.people.length}@example.fi`,
				name: `P ${w.people.length}`,
				tenantId: w.tenants[step.tenant],
				roles
			});
			if (!invited.ok) throw new Error('invite failed');
			redeemToken(db, invited.token, 'invitation', 'hash', CLIENT);
			w.people.push(invited.userId);
			return;
		}
		case 'deactivate': {
			const p = person(step.person);
			if (p?.status === 'active') deactivatePerson(db, admin, p);
			return;
		}
		case 'reactivate': {
			const p = person(step.person);
			if (p?.status === 'deactivated') redeemToken(db, reactivatePerson(db, admin, p), 'invitation', 'hash', CLIENT);
			return;
		}
		case 'roles': {
			const p = person(step.person);
			if (p) setRoles(db, admin, p, step.admin ? ['tenant_admin'] : ['tenant_staff']);
			return;
		}
		case 'acknowledge': {
			const p = person(step.person);
			const id = w.instructions[step.instruction];
			if (p?.status === 'active') acknowledge(db, toSessionUser(db, p), id, currentVersion(db, id)!.id, 'fi', CLIENT);
			return;
		}
		case 'publish':
			publishVersion(
				db,
				admin,
				w.instructions[step.instruction],
				{ material: step.material, changeSummary: 'change' },
				{ ...CONTENT, bodyFi: `Teksti ${Math.random()}` }
			);
			return;
		case 'archive':
			setTenantArchived(db, admin, w.tenants[step.tenant], step.archived);
			return;
		case 'settings':
			updateInstructionSettings(db, admin, w.instructions[step.instruction], {
				category: 'card_handling',
				allTenants: step.allTenants,
				tenantIds: step.allTenants ? [] : step.chosen.map((n) => w.tenants[n]),
				audience: step.admins ? 'tenant_admins' : 'all_staff',
				requiresAck: true
			});
	}
}

/** Both tally tables, without rows that count nobody. */
function tallies(db: Db) {
	const audience = db
		.select()
		.from(tenantAudience)
		.all()
		.filter((r) => r.people || r.admins);
	const acknowledged = db
		.select()
		.from(acknowledgementTally)
		.all()
		.filter((r) => r.people || r.admins);
	const order = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a).localeCompare(JSON.stringify(b));
	return { audience: audience.sort(order), acknowledged: acknowledged.sort(order) };
}

/** What the counts must be: every person of the audience looked at one by one. */
function counted(db: Db, id: string) {
	const item = getInstruction(db, id)!;
	const tenants = coverageByTenant(db, item).map(({ people: _, ...counts }) => counts);
	return {
		tenants,
		tenantCount: tenants.length,
		acknowledged: tenants.reduce((n, t) => n + t.acknowledged, 0),
		total: tenants.reduce((n, t) => n + t.total, 0)
	};
}

describe('coverage counts kept by the database', () => {
	it('equal counting the people one by one after any sequence of changes', () => {
		fc.assert(
			fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (steps) => {
				const w = world();
				for (const step of steps) apply(w, step);
				for (const id of w.instructions) {
					const item = getInstruction(w.db, id)!;
					expect(coverageCounts(w.db, item, { page: 1, pageSize: 50 })).toEqual(counted(w.db, id));
					// The export reads the same people a few tenants at a time: the same rows in the same order.
					for (const tenantsPerPart of [1, 2])
						expect([...coverageByTenantParts(w.db, item, tenantsPerPart)].flat()).toEqual(coverageByTenant(w.db, item));
				}
				// Counting afresh (what bulk loaders do) gives the same tallies, apart from rows left at zero.
				const kept = tallies(w.db);
				rebuildCoverageTallies(w.db);
				expect(tallies(w.db)).toEqual(kept);
			}),
			{ numRuns: 120 }
		);
	}, 120_000);

	it('follow a person through joining, acknowledging, a material change and leaving', () => {
		const w = world();
		apply(w, { kind: 'join', tenant: 0, admin: true });
		apply(w, { kind: 'join', tenant: 0, admin: false });
		const [all, , adminsOnly] = w.instructions;
		const counts = (id: string) => coverageCounts(w.db, getInstruction(w.db, id)!);
		expect(counts(all)).toMatchObject({ tenantCount: 1, total: 2, acknowledged: 0 });
		expect(counts(adminsOnly)).toMatchObject({ tenantCount: 1, total: 1, acknowledged: 0 });
		apply(w, { kind: 'acknowledge', person: 0, instruction: 0 });
		apply(w, { kind: 'acknowledge', person: 0, instruction: 0 });
		apply(w, { kind: 'acknowledge', person: 0, instruction: 2 });
		expect(counts(all)).toMatchObject({ total: 2, acknowledged: 1 });
		expect(counts(adminsOnly)).toMatchObject({ total: 1, acknowledged: 1 });
		apply(w, { kind: 'roles', person: 0, admin: false });
		expect(counts(adminsOnly)).toMatchObject({ tenantCount: 0, total: 0, acknowledged: 0 });
		apply(w, { kind: 'publish', instruction: 0, material: false });
		expect(counts(all)).toMatchObject({ acknowledged: 1 });
		apply(w, { kind: 'publish', instruction: 0, material: true });
		expect(counts(all)).toMatchObject({ acknowledged: 0 });
		apply(w, { kind: 'acknowledge', person: 0, instruction: 0 });
		apply(w, { kind: 'deactivate', person: 0 });
		expect(counts(all)).toMatchObject({ total: 1, acknowledged: 0 });
		apply(w, { kind: 'reactivate', person: 0 });
		expect(counts(all)).toMatchObject({ total: 2, acknowledged: 1 });
	});
});
