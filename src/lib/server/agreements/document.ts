import * as m from '../../paraglide/messages.js';
import type { DbOrTx } from '../db';
import type { Agreement } from '../db/schema';
import { listEntriesForTarget } from '../audit/audit-log';
import { getTemplate } from './templates-store';
import { fillTemplate, parseTemplate } from './template';
import { listSignatures, SIGNATURE_METHODS } from './agreements';
import { agreementContent } from './values';
import { findProvider } from '../auth/oidc-providers';

/** The provider's display name while it is configured; its id (as recorded) otherwise. */
const providerName = (id: string) => (id ? (findProvider(id)?.displayName ?? id) : '-');
import { formatDateTimeSeconds } from '../../i18n/format';
import type { AgreementPdfInput } from './pdf';

type Locale = 'fi' | 'sv' | 'en';

/** Times on the signature and audit pages, in Finnish time, with the zone named. */
export function formatSigningTime(date: Date, language: Locale): string {
	return `${formatDateTimeSeconds(date, language)} (Europe/Helsinki)`;
}

/** Readable names for the audit actions an agreement's own page lists. */
function eventLabel(action: string, locale: Locale): string {
	const labels: Record<string, (o: { locale: Locale }) => string> = {
		'agreement.create': (o) => m.agreement_event_create({}, o),
		'agreement.edit': (o) => m.agreement_event_edit({}, o),
		'agreement.send': (o) => m.agreement_event_send({}, o),
		'agreement.sign': (o) => m.agreement_event_sign({}, o),
		'agreement.countersign': (o) => m.agreement_event_countersign({}, o),
		'agreement.decline': (o) => m.agreement_event_decline({}, o),
		'agreement.seal': (o) => m.agreement_event_seal({}, o)
	};
	return labels[action]?.({ locale }) ?? action;
}

/**
 * Everything the PDF shows for an agreement: the filled template, Annex 1, and — for the final
 * document — the signature page and the audit page. A draft carries a watermark instead.
 */
export function buildPdfInput(db: DbOrTx, current: Agreement, options: { final: boolean; now?: Date }): AgreementPdfInput {
	const locale = current.language as Locale;
	const o = { locale };
	const template = getTemplate(db, current.templateId);
	const content = agreementContent(db, current, options.now);
	// A draft may still lack values; the preview shows what is there and names the gaps.
	const filled = (() => {
		try {
			return fillTemplate(parseTemplate(current.templateSource), content.values);
		} catch {
			const withGaps = Object.fromEntries(Object.entries(content.values).map(([k, v]) => [k, v === '' ? `[${k}]` : v]));
			return fillTemplate(parseTemplate(current.templateSource), withGaps);
		}
	})();
	const signatures = listSignatures(db, current.id);
	const creationDate = options.final ? (current.inForceAt ?? new Date(0)) : (options.now ?? new Date());
	return {
		agreementId: current.id,
		language: locale,
		title: filled.title,
		blocks: filled.blocks,
		annex1: {
			columns: [m.pdf_annex_number({}, o), m.pdf_annex_service({}, o)],
			rows: content.annex1.map((name, i) => [String(i + 1), name])
		},
		footer: m.pdf_footer({ id: current.id, template: template ? `${template.templateKey} v${template.version}` : '' }, o),
		pageLabel: (page, pages) => m.pdf_page({ page, pages }, o),
		draftWatermark: options.final ? undefined : m.pdf_draft_watermark({}, o),
		signaturePage: options.final
			? {
					heading: m.pdf_signatures_heading({}, o),
					labels: {
						party: m.pdf_label_party({}, o),
						name: m.pdf_label_name({}, o),
						title: m.pdf_label_title({}, o),
						organisation: m.pdf_label_organisation({}, o),
						signedAt: m.pdf_label_signed_at({}, o),
						method: m.pdf_label_method({}, o)
					},
					signatures: signatures.map((s) => ({
						party: s.party === 'tenant' ? m.pdf_party_tenant({}, o) : m.pdf_party_main_connector({}, o),
						name: s.signerName,
						title: s.signerTitle,
						organisation: s.organisationName,
						signedAt: formatSigningTime(s.signedAt, locale),
						method:
							s.method === SIGNATURE_METHODS.strongIdentification
								? m.pdf_method_strong(
										{
											provider: providerName(s.idProvider ?? ''),
											acr: s.idAcr ?? '-',
											time: s.idAuthAt ? formatSigningTime(s.idAuthAt, locale) : '-'
										},
										o
									)
								: s.method === SIGNATURE_METHODS.passwordAndCode
									? m.pdf_method_password_code({}, o)
									: m.pdf_method_password({}, o)
					}))
				}
			: undefined,
		auditPage: options.final
			? {
					heading: m.pdf_audit_heading({}, o),
					labels: { at: m.pdf_label_time({}, o), actor: m.pdf_label_actor({}, o), event: m.pdf_label_event({}, o) },
					events: listEntriesForTarget(db, current.id).map((e) => ({
						at: formatSigningTime(e.at, locale),
						actor: e.actorLabel,
						event: eventLabel(e.action, locale)
					}))
				}
			: undefined,
		metadata: {
			subject: m.pdf_subject({ tenant: String(content.values['tenant.name'] ?? '') }, o),
			keywords: [`liitos-agreement:${current.id}`, `content-sha256:${current.contentHash ?? 'draft'}`],
			author: String(content.values['main.name'] ?? 'Liitos'),
			creationDate
		}
	};
}
