import type { DbOrTx } from '../db';
import { sql } from 'drizzle-orm';

/**
 * Counts the coverage tallies afresh from people, roles and acknowledgements. Triggers keep them
 * current (migration 0007, which also fills them once); bulk loaders that write with the triggers
 * dropped call this afterwards. The tests check it agrees with what the triggers keep.
 */
export function rebuildCoverageTallies(db: DbOrTx): void {
	db.run(sql`DELETE FROM tenant_audience`);
	db.run(sql`DELETE FROM acknowledgement_tally`);
	db.run(sql`
		INSERT INTO tenant_audience (tenant_id, people, admins)
		SELECT u.tenant_id, count(*), sum(EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'tenant_admin'))
		FROM user u WHERE u.status = 'active' AND u.tenant_id IS NOT NULL GROUP BY u.tenant_id`);
	db.run(sql`
		WITH baseline AS MATERIALIZED (SELECT instruction_id, max(version) AS version FROM instruction_version WHERE material = 1 GROUP BY instruction_id)
		INSERT INTO acknowledgement_tally (instruction_id, tenant_id, people, admins)
		SELECT c.instruction_id, u.tenant_id, count(*), sum(EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'tenant_admin'))
		FROM (SELECT DISTINCT a.instruction_id, a.user_id FROM baseline b JOIN acknowledgement a ON a.instruction_id = b.instruction_id AND a.version >= b.version) c
		JOIN user u ON u.id = c.user_id
		WHERE u.status = 'active' AND u.tenant_id IS NOT NULL
		GROUP BY c.instruction_id, u.tenant_id`);
}
