/**
 * Agreement campaigns at national scale, on the generated data set: a campaign drafting for every
 * current tenant, the campaign page's list (gaps worked out for every draft), sending, and the batch
 * countersignature of 100 tenant-signed agreements with one step-up, each sealed on its own.
 *
 * Runs in a process of its own (`DATA_DIR=<dir> tsx scripts/bench/campaigns.ts <database>`), because
 * config.ts reads DATA_DIR once and sealed files go there. Changes the database.
 * The tenants' own signatures are set directly (their step is measured elsewhere: bench `pdf`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/lib/server/db';
import type { SessionUser } from '../../src/lib/server/auth/session';
import type { Role } from '../../src/lib/server/db/schema';
import { defaultTemplate } from '../../src/lib/server/agreements/templates-store';
import { getAgreement } from '../../src/lib/server/agreements/agreements';
import { loadSealCredentials } from '../../src/lib/server/agreements/sealing';
import {
	campaignList,
	campaignRowParts,
	carryOutCampaignFollowUp,
	countersignCampaign,
	createCampaign,
	sendCampaign
} from '../../src/lib/server/campaigns/campaigns';
import { BENCH_PASSWORD } from './generate';

export interface CampaignBench {
	tenants: number;
	createMs: number;
	/** The campaign page's data: counts by state, the first page of 200 and the drafts with gaps (median of 5). */
	listMs: number;
	/** The CSV export's first part of 2,000 rows, and all its parts (median of 5). */
	firstPartMs: number;
	allPartsMs: number;
	gaps: number;
	sendMs: number;
	sent: number;
	batch: number;
	countersignMs: number;
	sealMs: number;
	sealed: number;
}

const time = async <T>(run: () => T | Promise<T>): Promise<[T, number]> => {
	const started = performance.now();
	const value = await run();
	return [value, performance.now() - started];
};

const median = async (run: () => unknown, times = 5): Promise<number> => {
	const all: number[] = [];
	for (let i = 0; i < times; i++) all.push((await time(run))[1]);
	return all.sort((a, b) => a - b)[Math.floor(times / 2)];
};

async function timeCampaign(databasePath: string, batch = 100): Promise<CampaignBench> {
	const db = openDatabase(databasePath);
	const client = db.$client;
	try {
		const admin = client
			.prepare("select u.id, u.email from user u join user_role r on r.user_id = u.id where r.role = 'mc_admin' limit 1")
			.get() as {
			id: string;
			email: string;
		};
		const actor = { id: admin.id, label: admin.email, ipAddress: '127.0.0.1' };
		const tenantIds = (client.prepare('select id from tenant where archived_at is null').all() as { id: string }[]).map((r) => r.id);
		const template = defaultTemplate(db, 'fi');
		if (!template) throw new Error('No Finnish template in the data set');
		const input = {
			name: 'Bench',
			templateId: template.id,
			scope: 'chosen' as const,
			tenantIds,
			message: 'Uusi versio',
			remindAfterDays: 14
		};

		const [created, createMs] = await time(() => createCampaign(db, actor, input));
		if (!created.ok) throw new Error(`Campaign refused: ${created.reason}`);
		// One draft in twenty lacks the place of signing, so the page lists drafts with gaps too.
		client
			.prepare(
				`update agreement set place = '' where id in (select agreement_id from campaign_agreement where campaign_id = ? and rowid % 20 = 0)`
			)
			.run(created.id);
		const page = () => campaignList(db, created.id, { state: null, page: 1, pageSize: 200, gapsShown: 200 });
		const { counts } = page();
		const listMs = await median(page);
		const firstPartMs = await median(() => campaignRowParts(db, created.id, 2000).next());
		const allPartsMs = await median(() => [...campaignRowParts(db, created.id, 2000)].length);
		// Back as they were, so that every draft can be sent.
		client
			.prepare(
				`update agreement set place = (select city from main_connector limit 1) where id in (select agreement_id from campaign_agreement where campaign_id = ? and place = '')`
			)
			.run(created.id);
		const [sent, sendMs] = await time(() => sendCampaign(db, actor, created.id));

		// The tenants sign: set directly, as the tenant's own step is not what is measured here.
		const chosen = sent.sent.slice(0, batch);
		const sign = client.prepare(
			"update agreement set status = 'awaiting_countersignature' where id = ? and status = 'awaiting_tenant_signature'"
		);
		client.transaction(() => chosen.forEach((id) => sign.run(id)))();

		const person = client
			.prepare("select id, email, name, tenant_id as tenantId from user where email = 'signer@bench.test'")
			.get() as Omit<SessionUser, 'roles'>;
		const roles = (client.prepare('select role from user_role where user_id = ?').all(person.id) as { role: Role }[]).map((r) => r.role);
		const signer: SessionUser = { ...person, roles };
		loadSealCredentials(db); // the self-signed seal is made once per installation, not per batch
		const [result, countersignMs] = await time(() =>
			countersignCampaign(
				db,
				signer,
				created.id,
				{ typedName: signer.name, title: 'Toimitusjohtaja', password: BENCH_PASSWORD },
				{
					ipAddress: '127.0.0.1',
					userAgent: 'bench'
				}
			)
		);
		if (!result.ok || result.countersigned.length !== chosen.length)
			throw new Error(`Batch countersignature failed: ${JSON.stringify(result)}`);
		const [, sealMs] = await time(() => carryOutCampaignFollowUp(db, result.countersigned));
		const sealed = result.countersigned.filter((id) => {
			const path = getAgreement(db, id)?.sealedPath;
			return path && existsSync(path);
		}).length;
		return {
			tenants: created.drafts,
			createMs,
			listMs,
			firstPartMs,
			allPartsMs,
			gaps: counts.gaps,
			sendMs,
			sent: sent.sent.length,
			batch: result.countersigned.length,
			countersignMs,
			sealMs,
			sealed
		};
	} finally {
		client.close();
	}
}

/** `dataDir` receives the sealed files (the bench's temporary directory). */
export function measureCampaigns(databasePath: string, dataDir: string): CampaignBench {
	const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/campaigns.ts', databasePath], {
		encoding: 'utf8',
		env: { ...process.env, DATA_DIR: join(dataDir, 'campaign-data') },
		maxBuffer: 16 * 1024 * 1024
	});
	// Only the last line is the result: anything the portal code logs comes before it.
	return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as CampaignBench;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	if (!process.env.DATA_DIR) throw new Error('Set DATA_DIR: sealed files are written there');
	console.log(JSON.stringify(await timeCampaign(process.argv[2])));
}
