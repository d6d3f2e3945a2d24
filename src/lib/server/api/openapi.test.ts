import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_OPERATIONS, openApiDocument } from './openapi';
import { renderApiReference } from './reference';
import {
	agreementOut,
	certificateOut,
	checklistOut,
	instructionOut,
	pageOut,
	personOut,
	securityPlanStatusOut,
	tenantOut
} from './schemas';
import {
	checklistOf,
	listAgreementPage,
	listCertificatePage,
	listInstructionPage,
	listPeoplePage,
	listTenantPage,
	securityPlanStatus
} from './resources';
import { syncBundledFrameworks } from '../security-plan/framework-store';
import { MAIN_PLAN, saveRequirement } from '../security-plan/plan';
import {
	ADMIN_ACTOR,
	addManualCertificate,
	freshDb,
	insertAgreementRow,
	insertTenantRow,
	insertUser,
	personHolder,
	setUpMainConnector
} from '../test-support';
import { setTenantArchived } from '../tenants/tenants';
import { WEBHOOK_EVENTS } from '../../domain';

const API_DIR = fileURLToPath(new URL('../../../routes/api/v1', import.meta.url));
/** Routes that are not operations of the API itself. */
const NOT_OPERATIONS = ['/[...rest]', '/openapi.json', '/docs'];

function routeFiles(dir: string): { path: string; methods: string[] }[] {
	return readdirSync(dir).flatMap((name) => {
		const full = join(dir, name);
		if (statSync(full).isDirectory()) return routeFiles(full);
		if (name !== '+server.ts') return [];
		const path = '/' + relative(API_DIR, dir).split(sep).filter(Boolean).join('/');
		const methods = [...readFileSync(full, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
		return [{ path: path === '/' ? '' : path, methods }];
	});
}

const check = <T extends z.ZodType>(schema: T, value: unknown) => expect(schema.safeParse(value).error?.issues ?? []).toEqual([]);

describe('the OpenAPI document', () => {
	const doc = openApiDocument('https://liitos.example') as {
		openapi: string;
		paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; responses: object }>>;
		components: { schemas: Record<string, unknown> };
	};

	it('describes every route under src/routes/api/v1, with each method it answers', () => {
		const routes = routeFiles(API_DIR).filter((r) => !NOT_OPERATIONS.includes(r.path));
		expect(routes.length).toBeGreaterThanOrEqual(9);
		for (const route of routes) {
			const path = route.path.replace(/\[(\w+)\]/g, '{$1}');
			expect(doc.paths[path], `${route.path} is missing from the document`).toBeDefined();
			expect(Object.keys(doc.paths[path]).sort(), path).toEqual(route.methods.sort());
		}
		expect(Object.keys(doc.paths)).toHaveLength(new Set(routes.map((r) => r.path)).size);
	});

	it('is OpenAPI 3.1 whose references all resolve, with unique operation ids and declared path parameters', () => {
		expect(doc.openapi).toBe('3.1.0');
		const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
		expect(refs.length).toBeGreaterThan(10);
		for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
		expect(JSON.stringify(doc)).not.toContain('#/$defs/');
		const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
		expect(new Set(ids).size).toBe(ids.length);
		for (const [path, methods] of Object.entries(doc.paths)) {
			const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
			for (const op of Object.values(methods))
				expect(
					op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
					path
				).toEqual(inPath);
		}
		expect(API_OPERATIONS.every((op) => op.scope)).toBe(true);
	});

	it('describes every webhook event, and the reference page names each', () => {
		const webhooks = (doc as unknown as { webhooks: Record<string, { post: { requestBody: object } }> }).webhooks;
		expect(Object.keys(webhooks)).toEqual([...WEBHOOK_EVENTS]);
		const html = renderApiReference(doc);
		for (const event of WEBHOOK_EVENTS) expect(html).toContain(`<code>${event}</code>`);
		const refs = [...JSON.stringify(webhooks).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
		for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
	});

	it('renders a reference page naming every operation', () => {
		const html = renderApiReference(doc);
		for (const op of API_OPERATIONS) expect(html).toContain(`${op.method.toUpperCase()} ${op.path}`);
		expect(html).not.toMatch(/<script/i);
	});

	it('documents what the resources really return', () => {
		const db = freshDb();
		const tenantId = insertTenantRow(db);
		const archived = insertTenantRow(db, crypto.randomUUID(), '0737546-2');
		setTenantArchived(db, ADMIN_ACTOR, archived, true);
		const person = insertUser(db, { tenantId, roles: ['tenant_admin'] });
		addManualCertificate(db, ADMIN_ACTOR, 'professional_card', personHolder(person), new Date(Date.now() + 10 * 86_400_000));
		insertAgreementRow(db, tenantId, 'draft');
		check(pageOut(tenantOut), listTenantPage(db, { archived: false }, 10, null));
		check(pageOut(tenantOut), listTenantPage(db, { archived: true }, 10, null));
		check(pageOut(personOut), listPeoplePage(db, tenantId, 10, null));
		check(checklistOut, checklistOf(db, tenantId));
		const certificates = listCertificatePage(db, { expiringWithinDays: 30 }, 10, null);
		expect(certificates.data).toHaveLength(1);
		check(pageOut(certificateOut), certificates);
		check(pageOut(agreementOut), listAgreementPage(db, tenantId, 10, null));
		check(pageOut(instructionOut), listInstructionPage(db, null, 10, null));
		// A tenant's own token: only its own tenant, whatever the filters.
		expect(listTenantPage(db, { onlyId: tenantId, archived: false }, 10, null).data.map((t) => t.id)).toEqual([tenantId]);
		expect(listTenantPage(db, { onlyId: archived, archived: false }, 10, null).data).toEqual([]);
	});

	it('reports the security plan status as counts, without its text', () => {
		const db = freshDb();
		const actor = setUpMainConnector(db);
		check(securityPlanStatusOut, securityPlanStatus(db));
		syncBundledFrameworks(db, join(process.cwd(), 'templates', 'security-plan'));
		const empty = securityPlanStatus(db);
		expect(empty).toMatchObject({ started: false, progress: 0, dueForReview: 0 });
		const secret = 'Varmuuskopiot säilytetään kassakaapissa';
		saveRequirement(
			db,
			actor,
			MAIN_PLAN,
			'6.3-1',
			{
				description: secret,
				ownerId: null,
				status: 'implemented',
				lastReviewedOn: null,
				nextReviewOn: null,
				responsibleParty: 'main_connector',
				responsibleName: '',
				agreementReference: ''
			},
			new Date()
		);
		const status = securityPlanStatus(db);
		check(securityPlanStatusOut, status);
		expect(status).toMatchObject({ started: true, counts: { implemented: 1 } });
		expect(status.sections.find((s) => s.chapter === '6.3')!.counts.implemented).toBe(1);
		expect(JSON.stringify(status)).not.toContain(secret);
	});
});
