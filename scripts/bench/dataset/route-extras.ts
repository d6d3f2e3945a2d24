/**
 * The rows the national data set does not make but the main connector's pages and the API show:
 * an agreement campaign, the information-security plan (a few described requirements, a document,
 * a risk, an approved version), a webhook endpoint and API tokens. Made through the portal's own
 * domain functions where they need no second factor; the approved version is written as the
 * approval would write it (the director's step-up is not what these pages cost).
 */
import { dirname } from 'node:path';
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { openDatabase } from '../../../src/lib/server/db';
import { agreement, apiToken, securityPlanVersion, tenant } from '../../../src/lib/server/db/schema';
import { API_SCOPES } from '../../../src/lib/domain';
import { hashToken } from '../../../src/lib/server/auth/session';
import { generateApiToken } from '../../../src/lib/server/api-tokens/tokens';
import { defaultTemplate } from '../../../src/lib/server/agreements/templates-store';
import { SIGNATURE_METHODS } from '../../../src/lib/server/agreements/agreements';
import { createCampaign } from '../../../src/lib/server/campaigns/campaigns';
import { createWebhookEndpoint } from '../../../src/lib/server/webhooks/endpoints';
import { storeFile } from '../../../src/lib/server/evidence/file-store';
import { syncBundledFrameworks } from '../../../src/lib/server/security-plan/framework-store';
import { MAIN_PLAN, getMainPlan, saveRequirement } from '../../../src/lib/server/security-plan/plan';
import { addDocument } from '../../../src/lib/server/security-plan/documents';
import { addRisk, designateDirector } from '../../../src/lib/server/security-plan/risks';
import { currentSnapshot, snapshotHash } from '../../../src/lib/server/security-plan/versions';

/** The bench campaign reaches every current tenant (a new model version for the whole country); one draft in this many has a gap. */
export const CAMPAIGN_GAP_EVERY = 20;

export interface RouteExtras {
	campaign: string;
	requirement: string;
	planDocument: string;
	risk: string;
	/** An agreement in force with its sealed file (the data set seals none: the file stands in for one). */
	sealedAgreement: string;
	/** Bearer tokens with every scope, one per API visit (each token has its own rate limit). */
	apiTokens: string[];
}

const PDF = new TextEncoder().encode(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

const REQUIREMENTS = ['3-1', '5-1', '6.2-1', '6.3-1', '6.5-1'];

export function addRouteExtras(path: string, sample: { adminId: string; agreementId: string; apiTokens: number }): RouteExtras {
	const db = openDatabase(path);
	const actor = { id: sample.adminId, label: 'bench', ipAddress: '127.0.0.1' };
	const now = new Date();
	try {
		const template = defaultTemplate(db, 'fi');
		if (!template) throw new Error('No Finnish agreement template in the data set');
		const tenantIds = db
			.select({ id: tenant.id })
			.from(tenant)
			.where(isNull(tenant.archivedAt))
			.orderBy(asc(tenant.name))
			.all()
			.map((t) => t.id);
		const campaign = createCampaign(db, actor, {
			name: 'Vuoden 2027 sopimukset',
			templateId: template.id,
			scope: 'chosen',
			tenantIds,
			message: 'Sopimuksen uusi versio allekirjoitettavaksi.',
			remindAfterDays: 14
		});
		if (!campaign.ok) throw new Error(`Campaign refused: ${campaign.reason}`);
		// Some drafts still lack the place of signing, so the page also lists drafts with gaps.
		db.$client
			.prepare(
				`update agreement set place = '' where id in (select agreement_id from campaign_agreement where campaign_id = ? and rowid % ${CAMPAIGN_GAP_EVERY} = 0)`
			)
			.run(campaign.id);

		syncBundledFrameworks(db, 'templates/security-plan');
		for (const requirement of REQUIREMENTS) {
			const saved = saveRequirement(db, actor, MAIN_PLAN, requirement, {
				description: `Kuvattu laatukäsikirjan luvussa ${requirement}; vastuuhenkilö tarkistaa vuosittain.`,
				ownerId: sample.adminId,
				status: 'described',
				lastReviewedOn: null,
				nextReviewOn: null,
				responsibleParty: 'main_connector',
				responsibleName: '',
				agreementReference: ''
			});
			if (!saved.ok) throw new Error(`Requirement ${requirement} refused: ${saved.reason}`);
		}
		const file = storeFile(dirname(path), 'bench', PDF);
		const planDocument = addDocument(db, actor, MAIN_PLAN, REQUIREMENTS[2], {
			title: 'Jatkuvuussuunnitelma',
			file: { name: 'jatkuvuus.pdf', path: file.storagePath, sha256: file.sha256, mimeType: 'application/pdf' }
		});
		if (!planDocument) throw new Error('Plan document refused');
		const risk = addRisk(db, actor, MAIN_PLAN, {
			title: 'Potilastietojärjestelmä ei ole käytettävissä',
			systems: 'Potilastietojärjestelmä',
			chapters: ['6.2', '5'],
			likelihood: 'moderate',
			impact: 'high',
			treatment: 'Paperilomakkeet ja vuosittainen jatkuvuusharjoitus.',
			residual: 'low'
		});
		if (!risk.ok) throw new Error('Risk refused');
		designateDirector(db, actor, MAIN_PLAN, sample.adminId);
		// Version 1, as approvePlan writes it once the director has confirmed (see versions.ts).
		const json = JSON.stringify(currentSnapshot(db, MAIN_PLAN));
		db.insert(securityPlanVersion)
			.values({
				id: crypto.randomUUID(),
				planId: getMainPlan(db)!.id,
				version: 1,
				snapshot: json,
				contentHash: snapshotHash(json),
				approvedBy: sample.adminId,
				approverName: 'Bench',
				method: SIGNATURE_METHODS.password,
				approvedAt: now
			})
			.run();

		const hook = createWebhookEndpoint(
			db,
			actor,
			sample.adminId,
			{ url: 'https://hooks.example.com/liitos', events: ['tenant.stage_changed', 'agreement.signed'] },
			now,
			false
		);
		if (!hook.ok) throw new Error(`Webhook refused: ${hook.reason}`);

		const sealed = db
			.select({ id: agreement.id })
			.from(agreement)
			.where(and(eq(agreement.status, 'in_force'), ne(agreement.id, sample.agreementId)))
			.get();
		if (!sealed) throw new Error('No second agreement in force in the data set');
		const sealedFile = storeFile(dirname(path), 'bench', PDF);
		db.update(agreement)
			.set({ sealedPath: sealedFile.storagePath, sealedSha256: sealedFile.sha256, sealedAt: now })
			.where(eq(agreement.id, sealed.id))
			.run();

		const apiTokens = Array.from({ length: sample.apiTokens }, () => generateApiToken());
		for (const [i, token] of apiTokens.entries())
			db.insert(apiToken)
				.values({
					id: crypto.randomUUID(),
					tokenHash: hashToken(token),
					name: `Bench ${i + 1}`,
					tenantId: null,
					scopes: [...API_SCOPES],
					createdBy: sample.adminId,
					createdAt: now,
					expiresAt: null
				})
				.run();
		return { campaign: campaign.id, requirement: REQUIREMENTS[2], planDocument, risk: risk.id, sealedAgreement: sealed.id, apiTokens };
	} finally {
		db.$client.close();
	}
}
