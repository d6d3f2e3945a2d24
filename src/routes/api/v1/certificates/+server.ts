import type { RequestHandler } from './$types';
import { db } from '$lib/server/db';
import { apiRoute, ApiProblem } from '$lib/server/http/api';
import { listCertificatePage, toCertificateOut } from '$lib/server/api/resources';
import { certificateCreateBody, certificateListQuery } from '$lib/server/api/schemas';
import { getCertificate } from '$lib/server/certificates/registry';
import { addCertificateFor, resolveHolder } from '$lib/server/certificates/holders';
import { runUntrusted } from '$lib/server/untrusted/sandbox';

/** Current certificates, soonest expiry first; `expiringWithinDays` narrows to those running out. */
export const GET: RequestHandler = apiRoute((api) => {
	const query = api.query(certificateListQuery);
	const own = api.caller.token.tenantId;
	// A tenant's token reads its own tenant's certificates; the main connector's reads all or one tenant's.
	const tenantId = query.tenantId ?? own ?? undefined;
	api.authorize('certificate.view', tenantId ? { tenantId } : undefined);
	const filter = { tenantId, kind: query.kind, holderType: query.holderType, expiringWithinDays: query.expiringWithinDays };
	return listCertificatePage(db(), filter, query.limit, api.cursor(query.cursor, 2));
});

const FILE_REFUSALS = {
	private_key: 'The file holds a private key. Send only the public certificate; the key never belongs here.',
	empty: 'The file is empty.',
	not_a_certificate: 'The file is not an X.509 certificate in PEM or DER form.',
	too_large: 'The file is too large for a certificate.',
	too_many: 'The file holds too many certificates.'
} as const;

/**
 * Adds a certificate from its file, as the upload form does: parsed in the untrusted-file worker,
 * a private key refused, the same holder checks, the same domain function (a renewal supersedes).
 */
export const POST: RequestHandler = apiRoute(async (api) => {
	api.authorize('certificate.manage');
	const body = await api.json(certificateCreateBody, 400_000);
	const { holder: chosen } = body;
	const choice = {
		type: chosen.type,
		tenantId: 'tenantId' in chosen ? chosen.tenantId : null,
		userId: 'userId' in chosen ? chosen.userId : null
	};
	const unknownHolder = () =>
		new ApiProblem(422, 'No such holder: the tenant must be current and the person active in it.', {
			errors: [{ path: 'holder', message: 'Unknown holder' }]
		});
	// Asked first so that a wrong holder costs no file reading; asked again where the certificate is stored.
	if (!resolveHolder(db(), choice)) throw unknownHolder();
	const bytes = body.pem !== undefined ? new TextEncoder().encode(body.pem) : new Uint8Array(Buffer.from(body.der!, 'base64'));
	const read = await runUntrusted('certificateFile', bytes);
	if (!read.ok) {
		if (read.reason === 'busy')
			throw new ApiProblem(503, 'Busy reading other files; try again shortly.', { headers: { 'retry-after': '5' } });
		throw new ApiProblem(422, 'The file could not be read.');
	}
	if (!read.value.ok)
		throw new ApiProblem(422, FILE_REFUSALS[read.value.reason], {
			errors: [{ path: body.pem !== undefined ? 'pem' : 'der', message: read.value.reason }]
		});
	const [leaf] = read.value.certificates;
	const added = addCertificateFor(db(), api.caller.actor, body.kind, choice, { source: 'upload', parsed: leaf, reference: body.reference });
	if (!added.ok) {
		if (added.reason === 'holder_not_found') throw unknownHolder();
		throw new ApiProblem(409, `This certificate is already recorded as ${added.existingId}.`);
	}
	return Response.json(toCertificateOut(getCertificate(db(), added.id)!), {
		status: 201,
		headers: { location: `/api/v1/certificates/${added.id}`, 'cache-control': 'no-store' }
	});
});
