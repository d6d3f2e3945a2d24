import { fail, isActionFailure, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm, type FormValues } from '$lib/server/http/forms';
import { refusal, type ReasonMessages } from '$lib/form-answer';
import { getCertificate } from '$lib/server/certificates/registry';
import { MAX_CERTIFICATES_PER_FILE, type ParsedCertificate, type ParseResult } from '$lib/server/certificates/x509';
import { runUntrusted } from '$lib/server/untrusted/sandbox';
import { refusalMessage } from '$lib/server/http/untrusted-refusal';
import { addDays, startOfHelsinkiDay } from '$lib/time';
import { getMainConnector } from '$lib/server/organisation/organisation';
import {
	addCertificateFor,
	holderPicker,
	HOLDER_SEARCH_LIMIT,
	resolveHolder,
	type AddCertificateForResult,
	type HolderMatch
} from '$lib/server/certificates/holders';
import type { SessionUser } from '$lib/server/auth/session';
import {
	certificateHolderSchema,
	holderValue,
	isFileKind,
	manualCertificateSchema,
	uploadedCertificateSchema
} from '$lib/schemas/certificate';

const REFUSALS: ReasonMessages<Extract<ParseResult, { ok: false }>['reason']> = {
	private_key: m.cert_private_key_refused,
	empty: m.cert_file_empty,
	not_a_certificate: m.cert_file_not_certificate,
	too_large: m.cert_file_too_large,
	too_many: () => m.cert_file_too_many({ max: MAX_CERTIFICATES_PER_FILE })
};

/** The certificate file read in the untrusted-file worker; a refusal comes as a message. */
async function readCertificates(
	bytes: Uint8Array
): Promise<{ ok: true; certificates: ParsedCertificate[] } | { ok: false; message: string }> {
	const read = await runUntrusted('certificateFile', bytes);
	if (!read.ok) return { ok: false, message: refusalMessage(read.reason) };
	return read.value.ok ? read.value : { ok: false, message: REFUSALS[read.value.reason]() };
}

const optionOf = (match: HolderMatch) => ({
	value: holderValue({ type: match.type, tenantId: match.tenantId, userId: match.userId }),
	label:
		match.type === 'tenant'
			? m.cert_holder_tenant_option({ name: match.name, businessId: match.detail })
			: m.cert_holder_person_option({ name: match.name, email: match.detail, tenant: match.tenantName })
});

/**
 * The holder select: the main connector, the holder already chosen, and the tenants and people the
 * search finds (at most HOLDER_SEARCH_LIMIT, however many tenants there are).
 */
function holderOptions(viewer: SessionUser, query: string, chosen: string) {
	const options = [{ value: 'main_connector', label: m.cert_holder_main_connector_option({ name: getMainConnector(db())?.name ?? '' }) }];
	const choice = certificateHolderSchema.shape.holder.safeParse(chosen);
	const found = holderPicker(db(), viewer, query, choice.success ? choice.data : null);
	return {
		holders: [...options, ...found.matches.map(optionOf)],
		holderSearch: { query, found: found.matches.length, more: found.more, limit: HOLDER_SEARCH_LIMIT }
	};
}

/** What the check step shows; the PEM itself travels separately, base64-encoded. */
const preview = (c: ParsedCertificate, others: number) => ({
	subject: c.subject,
	issuer: c.issuer,
	serialNumber: c.serialNumber,
	fingerprintSha256: c.fingerprintSha256,
	validFrom: c.validFrom,
	validTo: c.validTo,
	keyType: c.keyType,
	keySize: c.keySize,
	selfSigned: c.selfSigned,
	ignoredChain: others
});

/** What the holder search (a GET of the whole form) carries along, so nothing typed is lost. */
const KEPT_FIELDS = ['kind', 'holder', 'reference', 'validTo', 'validFrom'] as const;

export const load: PageServerLoad = (event) => {
	const viewer = authorize(event, 'certificate.manage');
	const params = event.url.searchParams;
	const renew = getCertificate(db(), params.get('renew') ?? '');
	const values: Record<string, string> = {
		kind: renew?.kind ?? '',
		holder: renew ? holderValue({ type: renew.holderType, tenantId: renew.tenantId, userId: renew.holderUserId }) : '',
		reference: ''
	};
	for (const field of KEPT_FIELDS) {
		const value = params.get(field);
		if (value !== null) values[field] = value.slice(0, 500);
	}
	const holderQuery = (params.get('holderQuery') ?? '').trim().slice(0, 100);
	return {
		...holderOptions(viewer, holderQuery, values.holder),
		renewing:
			renew && !renew.supersededAt ? { id: renew.id, kind: renew.kind, holderName: renew.holderName, validTo: renew.validTo } : null,
		values
	};
};

/** Parses and checks the upload, then shows it for confirmation; nothing is stored yet. */
async function inspectUpload(form: FormData) {
	const parsed = parseForm(certificateHolderSchema, form);
	if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'inspect');
	if (!resolveHolder(db(), parsed.data.holder)) return invalid({ holder: m.error_choose_one() }, parsed.values, 'inspect');
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return invalid({ file: m.cert_file_required() }, parsed.values, 'inspect');
	// The file is read into memory only; a refused file (a private key above all) is neither kept nor logged.
	const result = await readCertificates(new Uint8Array(await file.arrayBuffer()));
	if (!result.ok) return invalid({ file: result.message }, parsed.values, 'inspect');
	const [leaf, ...others] = result.certificates;
	return answer('inspect', {
		values: parsed.values,
		preview: preview(leaf, others.length),
		certificate: Buffer.from(leaf.pem).toString('base64')
	});
}

function failSave(values: FormValues, result: Extract<AddCertificateForResult, { reason: 'duplicate' }>) {
	return fail(400, { ...refusal({ form: m.cert_duplicate() }, values, 'save'), duplicateId: result.existingId });
}

/** Stores the certificate confirmed after the check step, parsing it again: the hidden field is user input. */
async function saveUpload(event: RequestEvent, form: FormData) {
	const parsed = parseForm(uploadedCertificateSchema, form);
	const base64 = String(form.get('certificate') ?? '').replace(/\s+/g, '');
	const result = /^[A-Za-z0-9+/]+={0,2}$/.test(base64)
		? await readCertificates(new Uint8Array(Buffer.from(base64, 'base64')))
		: ({ ok: false, message: m.cert_file_not_certificate() } as const);
	// Never echo a refused hidden field back: it might hold whatever someone put there.
	const kept = Object.fromEntries(Object.entries(parsed.values).filter(([key]) => key !== 'certificate'));
	if (!result.ok) return invalid({ form: result.message }, kept, 'save');
	const [leaf, ...others] = result.certificates;
	// Other mistakes keep the checked certificate on screen, so only the field in error needs fixing.
	const again = (errors: Record<string, string>) =>
		fail(400, { ...refusal(errors, parsed.values, 'save'), preview: preview(leaf, others.length), certificate: base64 });
	if (!parsed.ok) return again(parsed.errors);
	const added = addCertificateFor(db(), actorOf(event), parsed.data.kind, parsed.data.holder, {
		source: 'upload',
		parsed: leaf,
		reference: parsed.data.reference
	});
	if (!added.ok && added.reason === 'holder_not_found') return again({ holder: m.error_choose_one() });
	if (!added.ok) return failSave(parsed.values, added);
	redirect(303, `/certificates/${added.id}?added=1`);
}

function saveManual(event: RequestEvent, form: FormData) {
	const parsed = parseForm(manualCertificateSchema, form);
	if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'save');
	const { kind, holder, validFrom, validTo, reference } = parsed.data;
	const added = addCertificateFor(db(), actorOf(event), kind, holder, {
		source: 'manual',
		validTo: new Date(startOfHelsinkiDay(addDays(validTo, 1)).getTime() - 1000),
		validFrom: validFrom ? startOfHelsinkiDay(validFrom) : null,
		reference
	});
	if (!added.ok && added.reason === 'holder_not_found') return invalid({ holder: m.error_choose_one() }, parsed.values, 'save');
	if (!added.ok) return failSave(parsed.values, added);
	redirect(303, `/certificates/${added.id}?added=1`);
}

/**
 * The kind decides the path. Pressing Enter submits with the form's first button, which may be
 * the other step's, so each action routes by kind: a file is always checked before it is saved.
 */
const fileKind = (form: FormData) => {
	const kind = form.get('kind');
	return typeof kind === 'string' && (isFileKind as (k: string) => boolean)(kind);
};

/**
 * An answer shown on the page again carries the holder select as the posted search and choice
 * left it: the page's own load sees neither.
 */
type Holders = ReturnType<typeof holderOptions>;
type WithHolders<R> = R extends ActionFailure<infer F> ? ActionFailure<F & Holders> : R & Holders;

function withHolders<R extends object>(viewer: SessionUser, form: FormData, result: R): WithHolders<R> {
	const holders = holderOptions(
		viewer,
		String(form.get('holderQuery') ?? '')
			.trim()
			.slice(0, 100),
		String(form.get('holder') ?? '')
	);
	const answered = isActionFailure(result)
		? fail(result.status, { ...(result.data as object | undefined), ...holders })
		: { ...result, ...holders };
	return answered as WithHolders<R>;
}

export const actions = {
	inspect: async (event) => {
		const viewer = authorize(event, 'certificate.manage');
		const form = await event.request.formData();
		return withHolders(viewer, form, await (fileKind(form) ? inspectUpload(form) : saveManual(event, form)));
	},
	save: async (event) => {
		const viewer = authorize(event, 'certificate.manage');
		const form = await event.request.formData();
		if (!fileKind(form)) return withHolders(viewer, form, saveManual(event, form));
		return withHolders(viewer, form, await (form.has('certificate') ? saveUpload(event, form) : inspectUpload(form)));
	}
} satisfies Actions;
