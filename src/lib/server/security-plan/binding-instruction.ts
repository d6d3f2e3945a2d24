import { and, asc, eq, isNotNull } from 'drizzle-orm';
import * as m from '../../paraglide/messages.js';
import type { Db, DbOrTx } from '../db';
import { acknowledgement, instructionVersion, securityPlanAcknowledgement, securityPlanVersion, user } from '../db/schema';
import { SYSTEM_ACTOR, audit, type Actor } from '../actor';
import {
	SYSTEM_INSTRUCTIONS,
	archiveSystemInstruction,
	contentHash,
	currentVersion,
	publishSystemInstruction,
	systemInstruction
} from '../instructions/instructions';
import { FRAMEWORK_LANGUAGES, type FrameworkLanguage } from './framework';
import { getFramework } from './framework-store';
import { getMainPlan } from './plan';
import type { BindingSection } from './sharing';
// Types only: versions.ts calls this module from the approval, so this one never imports its values.
import type { PlanSnapshot } from './versions';

/**
 * Agreement §2: tenants' people follow the sections of the main connector's plan that bind them. Each
 * approved version that binds a section becomes the text of one instruction the portal keeps itself
 * (`SYSTEM_INSTRUCTIONS.securityPlan`), published in the approval's transaction, so tenant staff read
 * and acknowledge it person by person exactly as any instruction: per version, with what changed since
 * the version they acknowledged, in the same coverage reports and reminders.
 */

/** The binding chapters of an approved snapshot and their descriptions, never the live plan's. */
export function bindingSectionsOf(db: DbOrTx, snapshot: PlanSnapshot): BindingSection[] {
	const framework = getFramework(db, snapshot.framework.key, snapshot.framework.version);
	if (!framework) return [];
	const descriptions = new Map(snapshot.requirements.map((r) => [r.id, r.description]));
	return framework.sections
		.filter((s) => snapshot.binding.includes(s.chapter))
		.map((s) => ({
			section: { chapter: s.chapter, title: s.title },
			requirements: s.requirements.map((requirement) => ({ requirement, description: descriptions.get(requirement.id) ?? '' }))
		}));
}

/**
 * The instruction's text in each language: the catalogue's title and introduction, the framework's
 * section and requirement names, and the descriptions as the main connector wrote them (Markdown, one
 * language). Owners, review dates and risks stay out: they are confidential (THL 3/2024 ch. 5).
 */
export function bindingInstructionText(sections: BindingSection[]) {
	const text = (locale: FrameworkLanguage) => {
		const o = { locale };
		const parts: string[] = [m.security_plan_instruction_intro({}, o)];
		for (const { section, requirements } of sections) {
			parts.push(`### ${section.chapter} ${section.title[locale]}`);
			for (const { requirement, description } of requirements)
				parts.push(`#### ${requirement.id} ${requirement[locale]}`, description.trim() || `*${m.security_plan_not_described_yet({}, o)}*`);
		}
		return { title: m.security_plan_instruction_title({}, o), body: parts.join('\n\n') };
	};
	const [fi, sv, en] = FRAMEWORK_LANGUAGES.map(text);
	return { titleFi: fi.title, bodyFi: fi.body, titleSv: sv.title, bodySv: sv.body, titleEn: en.title, bodyEn: en.body };
}

const changeSummary = (version: number) =>
	`${m.security_plan_instruction_change({ version }, { locale: 'fi' })} / ${m.security_plan_instruction_change({ version }, { locale: 'sv' })}`;

/**
 * Called in the transaction that approves a version of the main connector's plan. A version binding
 * at least one section publishes its binding text as a new version of the instruction (nothing when
 * the text is the same as the current version's: the people's acknowledgements still hold); a version
 * binding none withdraws the instruction, as nothing binds tenants any longer.
 */
export function publishBindingInstruction(
	tx: DbOrTx,
	actor: Actor,
	approved: { id: string; version: number },
	snapshot: PlanSnapshot,
	now: Date
): { instructionId: string; version: number } | null {
	if (!snapshot.binding.length) {
		archiveSystemInstruction(tx, actor, SYSTEM_INSTRUCTIONS.securityPlan, now);
		return null;
	}
	return publishSystemInstruction(
		tx,
		actor,
		SYSTEM_INSTRUCTIONS.securityPlan,
		'security_policy',
		bindingInstructionText(bindingSectionsOf(tx, snapshot)),
		{ securityPlanVersionId: approved.id, changeSummary: changeSummary(approved.version) },
		now
	);
}

/** The instruction tenant staff acknowledge, with its current version; undefined before any binding version. */
export function bindingInstruction(db: DbOrTx) {
	const item = systemInstruction(db, SYSTEM_INSTRUCTIONS.securityPlan);
	if (!item || item.archivedAt) return undefined;
	const version = currentVersion(db, item.id);
	return version ? { item, version } : undefined;
}

/**
 * Once, at start-up, for data from before the instruction existed: when the newest approved version
 * binds sections and the instruction has never been published, publish it from that version, and
 * carry each tenant administrator's acknowledgement of that version (made then for the tenant, of the
 * same text) over as that person's own acknowledgement of it. The tenant-level rows stay as they are,
 * as history. Returns whether anything was published.
 */
export function backfillBindingInstruction(db: Db, now = new Date()): boolean {
	return db.transaction((tx) => carryOver(tx, now));
}

function carryOver(tx: DbOrTx, now: Date): boolean {
	if (systemInstruction(tx, SYSTEM_INSTRUCTIONS.securityPlan)) return false;
	const plan = getMainPlan(tx);
	if (!plan) return false;
	const latest = tx
		.select()
		.from(securityPlanVersion)
		.where(eq(securityPlanVersion.planId, plan.id))
		.all()
		.sort((a, b) => b.version - a.version)[0];
	if (!latest) return false;
	const snapshot = JSON.parse(latest.snapshot) as PlanSnapshot;
	if (!snapshot.binding.length) return false;
	const published = publishBindingInstruction(tx, SYSTEM_ACTOR, latest, snapshot, now);
	if (!published) return false;
	const version = tx
		.select()
		.from(instructionVersion)
		.where(and(eq(instructionVersion.instructionId, published.instructionId), eq(instructionVersion.version, published.version)))
		.get()!;
	const confirmations = tx
		.select({
			userId: securityPlanAcknowledgement.userId,
			tenantId: securityPlanAcknowledgement.tenantId,
			at: securityPlanAcknowledgement.acknowledgedAt
		})
		.from(securityPlanAcknowledgement)
		.innerJoin(user, eq(user.id, securityPlanAcknowledgement.userId))
		.where(
			and(
				eq(securityPlanAcknowledgement.versionId, latest.id),
				isNotNull(securityPlanAcknowledgement.userId),
				eq(user.tenantId, securityPlanAcknowledgement.tenantId)
			)
		)
		.orderBy(asc(securityPlanAcknowledgement.acknowledgedAt))
		.all();
	for (const c of confirmations)
		tx.insert(acknowledgement)
			.values({
				id: crypto.randomUUID(),
				userId: c.userId!,
				instructionId: published.instructionId,
				versionId: version.id,
				version: version.version,
				language: 'fi',
				contentSha256: contentHash(version, 'fi'),
				at: c.at,
				ipAddress: '',
				userAgent: 'carried over from the tenant acknowledgement of plan version ' + latest.version
			})
			.run();
	audit(tx, SYSTEM_ACTOR, {
		action: 'instruction.acknowledgements_carried_over',
		targetType: 'instruction',
		targetId: published.instructionId,
		summary: `plan version ${latest.version}: ${confirmations.length} tenant acknowledgement(s) carried over to their administrators`
	});
	return true;
}
