/**
 * The main connector, made the way the portal makes it (completeSetup), plus its signatory,
 * certificate administrator and designated persons.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../../src/lib/server/db';
import { completeSetup } from '../../../src/lib/server/organisation/organisation';
import { syncBundledTemplates } from '../../../src/lib/server/agreements/templates-store';
import { config } from '../../../src/lib/server/config';
import type { AuditEvent } from './audit-chain';
import { eventBy, type GenPerson } from './context';

export const ADMIN_EMAIL = 'admin@bench.test';
/** The administrator's authenticator key: their role requires two-step sign-in, and the bench signs in as them. */
export const ADMIN_TOTP_SECRET = 'BENCHADMINAAAAAAAAAAAAAAAAAAAAAA';

export interface Organisation {
	admin: { id: string; email: string };
	signatory: GenPerson;
	certAdmin: GenPerson;
	/** What setup wrote to the audit log, re-dated to the day the portal was set up. */
	events: AuditEvent[];
}

export function setUpOrganisation(db: Db, client: Database.Database, passwordHash: string, setupAt: number): Organisation {
	const setup = completeSetup(
		db,
		{
			organisation: {
				name: 'Kansallinen Terveyspalvelu Oy',
				businessId: '2617416-4',
				oid: '1.2.246.10.26174164',
				streetAddress: 'Mannerheimintie 100',
				postalCode: '00250',
				city: 'Helsinki',
				contactEmail: 'kanta@bench.test',
				soteriRegistration: 'SOTERI-2021-0001'
			},
			admin: { name: 'Aino Pääkäyttäjä', email: ADMIN_EMAIL, passwordHash }
		},
		{ ipAddress: '' },
		new Date(setupAt)
	);
	if (!setup) throw new Error('The bench database was not empty');
	syncBundledTemplates(db, config.templatesDir);
	const admin = { id: setup.userId, email: ADMIN_EMAIL };
	client.prepare('insert into two_factor (user_id, secret, enabled_at) values (?, ?, ?)').run(admin.id, ADMIN_TOTP_SECRET, setupAt);

	const person = (email: string, name: string, role: 'mc_signatory' | 'mc_cert_admin'): GenPerson => {
		const p: GenPerson = {
			id: crypto.randomUUID(),
			email,
			name,
			roles: [role],
			status: 'active',
			locale: 'fi',
			createdAt: setupAt + 3_600_000
		};
		client
			.prepare(
				"insert into user (id, email, name, password_hash, tenant_id, status, locale, created_at) values (?, ?, ?, ?, null, 'active', 'fi', ?)"
			)
			.run(p.id, email, name, passwordHash, p.createdAt);
		client.prepare('insert into user_role (user_id, role) values (?, ?)').run(p.id, role);
		return p;
	};
	const signatory = person('signer@bench.test', 'Sakari Allekirjoittaja', 'mc_signatory');
	const certAdmin = person('certs@bench.test', 'Ceija Varmenne', 'mc_cert_admin');

	const designated = client.prepare(
		'insert into designated_person (id, role, name, title, email, phone, created_at) values (?, ?, ?, ?, ?, ?, ?)'
	);
	const events: AuditEvent[] = [];
	for (const [role, name, title, email] of [
		['disturbance_contact', 'Hannu Häiriö', 'Palvelupäällikkö', 'hairiot@bench.test'],
		['archivist', 'Arja Arkisto', 'Arkistonhoitaja', 'arkisto@bench.test'],
		['data_protection_officer', 'Tiina Tietosuoja', 'Tietosuojavastaava', 'tietosuoja@bench.test'],
		['responsible_physician', 'Lauri Lääkäri', 'Vastaava lääkäri', 'laakari@bench.test']
	]) {
		const id = crypto.randomUUID();
		designated.run(id, role, name, title, email, '09 123 4500', setupAt);
		events.push(eventBy(admin, setupAt + 7_200_000, null, 'designated_person.add', 'designated_person', id, `${role}: ${name}`));
	}
	for (const p of [signatory, certAdmin])
		events.push(eventBy(admin, p.createdAt, null, 'person.invite', 'user', p.id, `${p.email} (${p.roles.join(', ')})`));

	// Setup and the bundled templates were stamped with today's time; the history starts on setup day.
	const written = client.prepare('select * from audit_entry order by seq').all() as Record<string, string | number | null>[];
	written.forEach((row, i) =>
		events.push({
			at: setupAt + i,
			actorId: row.actor_id as string | null,
			actorLabel: row.actor_label as string,
			tenantId: row.tenant_id as string | null,
			action: row.action as string,
			targetType: row.target_type as string,
			targetId: row.target_id as string,
			summary: row.summary as string,
			ipAddress: row.ip_address as string
		})
	);
	return { admin, signatory, certAdmin, events };
}
