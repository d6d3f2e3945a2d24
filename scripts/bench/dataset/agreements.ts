/**
 * Agreements: in force (or on notice, or ended) for every tenant past signing, drafts and
 * signatures under way for some onboarding ones. The frozen values are what the portal's own
 * currentContent gives, so each agreement renders as one made in the portal.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Agreement } from '../../../src/lib/server/db/schema';
import { defaultTemplate } from '../../../src/lib/server/agreements/templates-store';
import { currentContent, type AgreementContent } from '../../../src/lib/server/agreements/values';
import { formatLongDate } from '../../../src/lib/i18n/format';
import { listServices, serviceName } from '../../../src/lib/server/services/kanta-services';
import { between, weighted } from './random';
import { eventBy, isoDay, type Context } from './context';
import type { TenantRow } from './tenants';
import { DAY_MS } from '../../../src/lib/time';

type Status = 'draft' | 'awaiting_tenant_signature' | 'awaiting_countersignature' | 'in_force' | 'notice_given' | 'ended';

const STATUS_BY_STAGE: Partial<Record<TenantRow['stage'], Status>> = {
	agreement_signed: 'in_force',
	ready_for_production: 'in_force',
	in_production: 'in_force',
	notice_given: 'notice_given',
	ended: 'ended'
};

const draftFor = (t: TenantRow) =>
	({
		id: '',
		tenantId: t.id,
		language: t.language,
		noticeMonths: 1,
		renewalsForwarded: false,
		serviceAgreementReference: '',
		place: 'Helsinki'
	}) as Agreement;

/**
 * currentContent runs a dozen queries (about 2 ms); for thousands of agreements it runs once per
 * language, and each tenant's own values go into a copy as values.ts prints them. One later
 * agreement is checked against currentContent itself, so the two cannot drift apart unnoticed.
 */
function contentMaker(ctx: Context) {
	const services = listServices(ctx.db);
	const base: Partial<Record<'fi' | 'sv', AgreementContent>> = {};
	const dates = new Map<string, string>();
	let checked = false;
	return (t: TenantRow, at: number): AgreementContent => {
		const start = base[t.language];
		if (!start) return (base[t.language] = currentContent(ctx.db, draftFor(t), new Date(at)));
		const values = Object.fromEntries(Object.entries(start.values).filter(([key]) => !key.startsWith('uses.')));
		const day = `${t.language}${isoDay(at)}`;
		if (!dates.has(day)) dates.set(day, formatLongDate(new Date(at), t.language));
		Object.assign(values, {
			'tenant.name': t.name,
			'tenant.businessId': t.businessId,
			'tenant.address': `${t.street}, ${t.postalCode} ${t.city}`,
			'tenant.soteri': t.soteri,
			'tenant.oid': t.oid,
			date: dates.get(day)!
		});
		const own = services.filter((s) => t.serviceIds.includes(s.id));
		for (const s of own) values[`uses.${s.code}`] = true;
		const content = { values, annex1: own.map((s) => serviceName(s, t.language)) };
		if (!checked && !isDeepStrictEqual(content, currentContent(ctx.db, draftFor(t), new Date(at))))
			throw new Error('Generated agreement values differ from currentContent');
		checked = true;
		return content;
	};
}

/** Returns the id of an agreement in force, for the PDF measurement. */
export function generateAgreements(ctx: Context, tenants: TenantRow[]): { count: number; inForceId: string } {
	const { random, now, client } = ctx;
	const templates = { fi: defaultTemplate(ctx.db, 'fi')!, sv: defaultTemplate(ctx.db, 'sv')! };
	const insert = client.prepare(
		`insert into agreement (id, tenant_id, template_id, language, status, template_source, place, notice_months, values_snapshot, content_hash, notice_given_at, notice_given_by, end_date, ended_at, in_force_at, created_at, updated_at)
		 values (?, ?, ?, ?, ?, ?, 'Helsinki', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	);
	const sign = client.prepare(
		"insert into agreement_signature (id, agreement_id, party, user_id, signer_name, signer_title, organisation_name, method, content_hash, signed_at, ip_address, user_agent) values (?, ?, ?, ?, ?, ?, ?, 'password-step-up', ?, ?, '10.20.0.1', 'Mozilla/5.0')"
	);
	const contentFor = contentMaker(ctx);
	let count = 0;
	let inForceId = '';
	client.transaction(() => {
		for (const t of tenants) {
			const status =
				STATUS_BY_STAGE[t.stage] ??
				(t.stage === 'onboarding' && random() < 0.4
					? weighted(random, { draft: 4, awaiting_tenant_signature: 3, awaiting_countersignature: 3 })
					: null);
			if (!status) continue;
			const id = crypto.randomUUID();
			const template = templates[t.language];
			const signedAt = t.signedAt ?? between(random, t.createdAt + 6 * DAY_MS, now);
			const sentAt = signedAt - 5 * DAY_MS;
			const createdAt = sentAt - 3 * DAY_MS;
			const sent = status !== 'draft';
			const snapshot = sent ? JSON.stringify(contentFor(t, sentAt)) : null;
			const hash = snapshot ? createHash('sha256').update(`${template.source}\n\u0000\n${snapshot}`).digest('hex') : null;
			const tenantSigned = status !== 'draft' && status !== 'awaiting_tenant_signature';
			const inForce = tenantSigned && status !== 'awaiting_countersignature';
			const notice = status === 'notice_given' || status === 'ended' ? now - between(random, 30 * DAY_MS, 200 * DAY_MS) : null;
			const endDate = notice ? isoDay(notice + 31 * DAY_MS) : null;
			insert.run(
				id,
				t.id,
				template.id,
				t.language,
				status,
				template.source,
				snapshot,
				hash,
				notice,
				notice ? 'tenant' : null,
				endDate,
				status === 'ended' ? notice! + 31 * DAY_MS : null,
				inForce ? signedAt : null,
				createdAt,
				inForce ? signedAt : sentAt
			);
			count++;
			const signer = t.people[0];
			const admin = ctx.admin;
			ctx.events.push(
				eventBy(admin, createdAt, t.id, 'agreement.create', 'agreement', id, `${template.templateKey} v${template.version} (${t.language})`)
			);
			ctx.events.push(eventBy(admin, createdAt + 3_600_000, t.id, 'agreement.edit', 'agreement', id, 'draft completed'));
			if (sent) ctx.events.push(eventBy(admin, sentAt, t.id, 'agreement.send', 'agreement', id, `content ${hash!.slice(0, 12)}`));
			if (tenantSigned) {
				sign.run(crypto.randomUUID(), id, 'tenant', signer.id, signer.name, 'Toimitusjohtaja', t.name, hash, signedAt - 2 * DAY_MS);
				ctx.events.push(eventBy(signer, signedAt - 2 * DAY_MS, t.id, 'agreement.sign', 'agreement', id, `${signer.name} (${t.name})`));
			}
			if (inForce) {
				sign.run(
					crypto.randomUUID(),
					id,
					'main_connector',
					ctx.signatory.id,
					ctx.signatory.name,
					'Toimitusjohtaja',
					'Kansallinen Terveyspalvelu Oy',
					hash,
					signedAt
				);
				ctx.events.push(
					eventBy(
						ctx.signatory,
						signedAt,
						t.id,
						'agreement.countersign',
						'agreement',
						id,
						`${ctx.signatory.name} (Kansallinen Terveyspalvelu Oy)`
					)
				);
				if (!inForceId && status === 'in_force') inForceId = id;
			}
			if (notice) ctx.events.push(eventBy(signer, notice, t.id, 'agreement.notice', 'agreement', id, `tenant, ends ${endDate}`));
		}
	})();
	return { count, inForceId };
}
