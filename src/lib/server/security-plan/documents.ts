import { and, asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db';
import { securityPlanDocument, type SecurityPlanDocument } from '../db/schema';
import { audit, type Actor } from '../actor';
import { findRequirement } from './framework';
import { ensurePlan, frameworkOfPlan, getPlan, type PlanOwner } from './plan';

/**
 * Documents beside a requirement: THL 3/2024 lets the plan refer to descriptions kept separately
 * (security instructions, the system portfolio). A link, or a file the route has already checked
 * through the untrusted-file worker and stored; either is kept with its title, a file with its
 * SHA-256. Removing one takes it off the plan; approved versions keep its title and hash.
 */

export type DocumentInput = { title: string } & (
	{ url: string; file?: undefined } | { url?: undefined; file: { name: string; path: string; sha256: string; mimeType?: string } }
);

export function listDocuments(db: DbOrTx, owner: PlanOwner, requirementId?: string): SecurityPlanDocument[] {
	const plan = getPlan(db, owner);
	if (!plan) return [];
	return db
		.select()
		.from(securityPlanDocument)
		.where(and(eq(securityPlanDocument.planId, plan.id), requirementId ? eq(securityPlanDocument.requirementId, requirementId) : undefined))
		.orderBy(asc(securityPlanDocument.createdAt), asc(securityPlanDocument.id))
		.all();
}

export function getDocument(db: DbOrTx, owner: PlanOwner, requirementId: string, id: string): SecurityPlanDocument | undefined {
	return listDocuments(db, owner, requirementId).find((d) => d.id === id);
}

/** Adds a link or a stored file to a requirement; null when the plan's framework has no such requirement. */
export function addDocument(
	db: Db,
	actor: Actor,
	owner: PlanOwner,
	requirementId: string,
	input: DocumentInput,
	now = new Date()
): string | null {
	return db.transaction((tx) => {
		const framework = frameworkOfPlan(tx, getPlan(tx, owner));
		if (!framework || !findRequirement(framework, requirementId)) return null;
		const plan = ensurePlan(tx, actor, owner, now)!;
		const id = crypto.randomUUID();
		tx.insert(securityPlanDocument)
			.values({
				id,
				planId: plan.id,
				requirementId,
				title: input.title,
				url: input.url ?? '',
				fileName: input.file?.name ?? '',
				storagePath: input.file?.path ?? null,
				sha256: input.file?.sha256 ?? null,
				mimeType: input.file?.mimeType ?? null,
				createdAt: now,
				createdBy: actor.id
			})
			.run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.document_add',
			targetType: 'security_plan_document',
			targetId: id,
			summary: `${requirementId}: ${input.title} (${input.file ? `file ${input.file.name}, sha256 ${input.file.sha256}` : input.url})`
		});
		return id;
	});
}

export function removeDocument(db: Db, actor: Actor, owner: PlanOwner, requirementId: string, id: string): boolean {
	return db.transaction((tx) => {
		const document = getDocument(tx, owner, requirementId, id);
		if (!document) return false;
		tx.delete(securityPlanDocument).where(eq(securityPlanDocument.id, id)).run();
		audit(tx, actor, {
			tenantId: owner.tenantId,
			action: 'security_plan.document_remove',
			targetType: 'security_plan_document',
			targetId: id,
			summary: `${requirementId}: ${document.title}`
		});
		return true;
	});
}

/** A document as an approved version keeps it: title and where it is, a file by name and hash. */
export const documentLine = (d: Pick<SecurityPlanDocument, 'title' | 'url' | 'fileName' | 'sha256'>): string =>
	d.url ? `${d.title} <${d.url}>` : `${d.title} (${d.fileName}, sha256 ${d.sha256 ?? ''})`;

export function auditDocumentRead(db: Db, actor: Actor, owner: PlanOwner, document: SecurityPlanDocument): void {
	audit(db, actor, {
		tenantId: owner.tenantId,
		action: 'security_plan.document_read',
		targetType: 'security_plan_document',
		targetId: document.id,
		summary: `${document.requirementId}: ${document.fileName}`
	});
}
