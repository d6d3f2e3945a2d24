/**
 * Finnish organisation identifiers: the business ID (Y-tunnus) and the organisation OID
 * derived from it in the SOTE organisation register.
 */

const BUSINESS_ID_PATTERN = /^(\d{7})-(\d)$/;
const BUSINESS_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2];

/** The check digit the seven digits call for, or null when no valid ID has them (remainder 1). */
function businessIdCheckDigit(digits: string): number | null {
	let sum = 0;
	for (let i = 0; i < 7; i++) sum += Number(digits[i]) * BUSINESS_ID_WEIGHTS[i];
	const remainder = sum % 11;
	if (remainder === 0) return 0;
	if (remainder === 1) return null;
	return 11 - remainder;
}

/** True for a well-formed `NNNNNNN-C` whose check digit is right. */
export function isValidBusinessId(value: string): boolean {
	const match = BUSINESS_ID_PATTERN.exec(value);
	if (!match) return false;
	return businessIdCheckDigit(match[1]) === Number(match[2]);
}

// Arcs are decimal numbers without leading zeros, so each OID has exactly one spelling and
// string comparison (equality, prefix) is meaningful.
const OID_PATTERN = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;
const OID_MAX_LENGTH = 200;

/** True for a dotted numeric OID with at least two arcs. */
export function isValidOid(value: string): boolean {
	return value.length <= OID_MAX_LENGTH && OID_PATTERN.test(value);
}

/** Arc under which the SOTE organisation register places organisations by business ID. */
const BUSINESS_ID_OID_ARC = '1.2.246.10';

/**
 * The organisation's root OID: the business ID's eight digits without the hyphen, as a number
 * (leading zeros dropped, since an OID arc has none). Throws on an invalid business ID, because
 * a root derived from a mistyped ID would silently name someone else's organisation.
 */
export function oidRootForBusinessId(businessId: string): string {
	if (!isValidBusinessId(businessId)) throw new Error(`Invalid business ID: ${businessId}`);
	const digits = businessId.replace('-', '').replace(/^0+(?=\d)/, '');
	return `${BUSINESS_ID_OID_ARC}.${digits}`;
}

/** True when the OID is the organisation's root or one of its service units below it. */
export function oidMatchesBusinessId(oid: string, businessId: string): boolean {
	if (!isValidOid(oid) || !isValidBusinessId(businessId)) return false;
	const root = oidRootForBusinessId(businessId);
	return oid === root || oid.startsWith(`${root}.`);
}
