/**
 * Instructions with their versions over the years, and the acknowledgements staff gave them:
 * most people read each version that asked them to, some late, some never; a few read again.
 */
import type { InstructionAudience, InstructionCategory } from '../../../src/lib/domain';
import { instruction, instructionTenant, instructionVersion, type InstructionVersion } from '../../../src/lib/server/db/schema';
import { contentHash, textFor } from '../../../src/lib/server/instructions/instructions';
import { between, pick } from './random';
import { ascendingUuid, batchInsert, eventBy, type Context, type GenPerson } from './context';
import type { TenantRow } from './tenants';
import { DAY_MS } from '../../../src/lib/time';

const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)';

interface Plan {
	category: InstructionCategory;
	title: string;
	audience: InstructionAudience;
	/** Days before now each version was published, and whether it asked everyone again. */
	versions: [number, boolean][];
	chosenTenants?: number;
}

const PLANS: Plan[] = [
	{
		category: 'kanta_terms',
		title: 'Kanta-palvelujen käyttöehdot',
		audience: 'all_staff',
		versions: [
			[900, true],
			[400, true],
			[100, false]
		]
	},
	{
		category: 'technical_environment',
		title: 'Tekninen ympäristö ja yhteydet',
		audience: 'all_staff',
		versions: [
			[700, true],
			[60, true]
		]
	},
	{ category: 'card_handling', title: 'Ammattikorttien käsittely', audience: 'all_staff', versions: [[800, true]] },
	{
		category: 'client_data',
		title: 'Asiakastietojen käsittely',
		audience: 'all_staff',
		versions: [
			[500, true],
			[200, false]
		]
	},
	{ category: 'security_policy', title: 'Tietoturvapolitiikka', audience: 'all_staff', versions: [[300, true]] },
	{ category: 'training_needs', title: 'Pääkäyttäjien koulutustarpeet', audience: 'tenant_admins', versions: [[600, true]] },
	{
		category: 'other',
		title: 'Kuva-aineistojen arkistoinnin käyttöönotto',
		audience: 'all_staff',
		versions: [[150, true]],
		chosenTenants: 25
	}
];

export interface GeneratedInstructions {
	/** One meant for every tenant, and one for a chosen few: the two shapes of coverage report. */
	allTenantsId: string;
	chosenTenantsId: string;
	acknowledgements: number;
}

export function generateInstructions(ctx: Context, tenants: TenantRow[], target: number): GeneratedInstructions {
	const { random, now, db } = ctx;
	const live = tenants.filter((t) => !t.archived && t.stage !== 'invited');
	const made = PLANS.map((plan) => {
		const id = crypto.randomUUID();
		const createdAt = now - plan.versions[0][0] * DAY_MS;
		db.insert(instruction)
			.values({
				id,
				category: plan.category,
				allTenants: !plan.chosenTenants,
				audience: plan.audience,
				requiresAck: true,
				createdAt: new Date(createdAt),
				createdBy: ctx.admin.email
			})
			.run();
		const chosen = plan.chosenTenants ? Array.from({ length: plan.chosenTenants }, () => pick(random, live)) : [];
		const targets = new Set(chosen.map((t) => t.id));
		if (targets.size)
			db.insert(instructionTenant)
				.values([...targets].map((tenantId) => ({ instructionId: id, tenantId })))
				.run();
		const versions: InstructionVersion[] = plan.versions.map(([daysAgo, material], i) => ({
			id: crypto.randomUUID(),
			instructionId: id,
			version: i + 1,
			material,
			changeSummary: i === 0 ? '' : material ? 'Uudet velvoitteet' : 'Kielenhuoltoa',
			titleFi: plan.title,
			bodyFi: `${plan.title}: ohjeen versio ${i + 1}.\n\nYhteyshenkilö: {{contact.dpo}}`,
			titleSv: `${plan.title} (sv)`,
			bodySv: `${plan.title}: version ${i + 1} av anvisningen.`,
			titleEn: null,
			bodyEn: null,
			attachmentName: null,
			attachmentPath: null,
			attachmentSha256: null,
			publishedAt: new Date(now - daysAgo * DAY_MS),
			publishedBy: ctx.admin.email,
			securityPlanVersionId: null
		}));
		db.insert(instructionVersion).values(versions).run();
		ctx.events.push(eventBy(ctx.admin, createdAt, null, 'instruction.create', 'instruction', id, plan.title));
		for (const v of versions.slice(1))
			ctx.events.push(
				eventBy(
					ctx.admin,
					v.publishedAt.getTime(),
					null,
					'instruction.publish',
					'instruction',
					id,
					`v${v.version} ${v.material ? 'material' : 'minor'}: ${v.changeSummary}`
				)
			);
		return {
			id,
			plan,
			targets,
			versions,
			hashes: new Map(versions.map((v) => [v.id, { fi: contentHash(v, 'fi'), sv: contentHash(v, 'sv') }]))
		};
	});

	const insert = batchInsert(ctx.client, 'acknowledgement', [
		'id',
		'user_id',
		'instruction_id',
		'version_id',
		'version',
		'language',
		'content_sha256',
		'at',
		'ip_address',
		'user_agent'
	]);
	let count = 0;
	const ack = (t: TenantRow, p: GenPerson, item: (typeof made)[number], v: InstructionVersion, at: number) => {
		const language = textFor(v, p.locale).language === 'sv' ? 'sv' : 'fi';
		const id = ascendingUuid();
		insert.add([id, p.id, item.id, v.id, v.version, language, item.hashes.get(v.id)![language], at, '10.20.0.1', USER_AGENT]);
		ctx.events.push({
			at,
			actorId: p.id,
			actorLabel: p.email,
			tenantId: t.id,
			action: 'instruction.acknowledge',
			targetType: 'instruction',
			targetId: item.id,
			summary: `v${v.version} (${language})`,
			ipAddress: '10.20.0.1'
		});
		count++;
	};
	ctx.client.transaction(() => {
		// Everyone first reads what was current when they joined, then each version that asked again.
		for (let round = 0; count < target && round < 20; round++) {
			for (const t of tenants) {
				if (t.stage === 'invited') continue;
				for (const p of t.people) {
					if (p.status === 'invited') continue;
					for (const item of made) {
						if (item.targets.size && !item.targets.has(t.id)) continue;
						if (item.plan.audience === 'tenant_admins' && !p.roles.includes('tenant_admin')) continue;
						item.versions.forEach((v, i) => {
							const next = item.versions[i + 1]?.publishedAt.getTime() ?? now;
							if (next < p.createdAt || count >= target) return;
							const asked = v.material || v.publishedAt.getTime() < p.createdAt;
							// Round 0 is the first reading; later rounds are people reading again.
							if (random() >= (round === 0 ? (asked ? 0.88 : 0.3) : 0.25)) return;
							const from = Math.max(v.publishedAt.getTime(), p.createdAt);
							ack(t, p, item, v, between(random, from, Math.min(from + 45 * DAY_MS, next, now)));
						});
					}
				}
			}
		}
		insert.flush();
	})();
	return { allTenantsId: made[0].id, chosenTenantsId: made.find((m) => m.plan.chosenTenants)!.id, acknowledgements: count };
}
