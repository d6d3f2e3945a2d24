import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db, DbOrTx } from '../db';
import { apiToken, user, userRole, API_SCOPES, API_TENANT_SCOPES, type ApiScope, type ApiToken, type Role } from '../db/schema';
import { audit, type Actor } from '../actor';
import { can, type Action, type Resource } from '../auth/authorize';
import { hashToken, type SessionUser } from '../auth/session';

/** Tokens start with this, so secret scanners and people can tell them apart from other secrets. */
export const TOKEN_PREFIX = 'liitos_';

/** Last use is stored at most once a minute, so a busy integration does not write a row per call. */
const LAST_USE_STEP_MS = 60_000;

/**
 * The scope an API call needs for each action it may ask `can()` about. Actions not listed here
 * are never open to a token, whatever its scopes.
 */
export const ACTION_SCOPES: Partial<Record<Action, ApiScope>> = {
	'tenant.list': 'tenants:read',
	'tenant.view': 'tenants:read',
	'tenant.people.view': 'people:read',
	'checklist.view': 'checklists:read',
	'certificate.view': 'certificates:read',
	'certificate.manage': 'certificates:write',
	'agreement.view': 'agreements:read',
	'instruction.coverage': 'instructions:read',
	'incident.report': 'incidents:write',
	'security_plan.read': 'security_plan:read'
};

/** The administrator role a token acts with: the organisation's own administrators'. */
function tokenRole(tenantId: string | null): Role {
	return tenantId === null ? 'mc_admin' : 'tenant_admin';
}

export interface ApiCaller {
	token: Pick<ApiToken, 'id' | 'name' | 'tenantId' | 'scopes'>;
	/**
	 * Who the token acts as in `can()` and the domain functions: its organisation's administrator
	 * role, bounded further by the scopes (see `apiCan`). `id` is the person who created it, so what
	 * it records (a report, a certificate) names someone answerable.
	 */
	user: SessionUser;
	actor: Actor;
}

/** `can()` for a token: the action must be in its scopes, and then `can()` decides as for anyone. */
export function apiCan(caller: Pick<ApiCaller, 'token' | 'user'>, action: Action, resource?: Resource): boolean {
	const scope = ACTION_SCOPES[action];
	if (!scope || !caller.token.scopes.includes(scope)) return false;
	return can(caller.user, action, resource);
}

/** 20 random bytes in base32 (160 bits) after the prefix. */
export function generateApiToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
}

export interface CreateTokenInput {
	name: string;
	scopes: ApiScope[];
	expiresAt: Date | null;
}

export type CreateTokenResult = { ok: true; id: string; token: string } | { ok: false; reason: 'scope_not_allowed' | 'not_administrator' };

/** Scopes an organisation's token may hold: a tenant's, reading only. */
export function scopesAllowedFor(tenantId: string | null): readonly ApiScope[] {
	return tenantId === null ? API_SCOPES : API_TENANT_SCOPES;
}

/**
 * Creates a token for the creator's own organisation and returns it once; only its digest is kept.
 * The creator must be allowed to manage that organisation's tokens.
 */
export function createApiToken(db: Db, actor: Actor, creator: SessionUser, input: CreateTokenInput, now = new Date()): CreateTokenResult {
	const tenantId = creator.tenantId;
	if (!can(creator, 'api_token.manage', { tenantId })) return { ok: false, reason: 'not_administrator' };
	const allowed = scopesAllowedFor(tenantId);
	if (input.scopes.length === 0 || input.scopes.some((scope) => !allowed.includes(scope)))
		return { ok: false, reason: 'scope_not_allowed' };
	const token = generateApiToken();
	const id = crypto.randomUUID();
	const scopes = API_SCOPES.filter((scope) => input.scopes.includes(scope));
	db.transaction((tx) => {
		tx.insert(apiToken)
			.values({
				id,
				tokenHash: hashToken(token),
				name: input.name.trim(),
				tenantId,
				scopes,
				createdBy: creator.id,
				createdAt: now,
				expiresAt: input.expiresAt
			})
			.run();
		const expiry = input.expiresAt ? `, expires ${input.expiresAt.toISOString()}` : '';
		audit(tx, actor, {
			action: 'api_token.create',
			tenantId,
			targetType: 'api_token',
			targetId: id,
			summary: `${input.name.trim()} (${scopes.join(' ')}${expiry})`
		});
	});
	return { ok: true, id, token };
}

/** Revokes one of the organisation's tokens; false when there is no such live token there. */
export function revokeApiToken(db: Db, actor: Actor, tenantId: string | null, id: string, now = new Date()): boolean {
	return db.transaction((tx) => {
		const found = tx
			.select()
			.from(apiToken)
			.where(
				and(
					eq(apiToken.id, id),
					tenantId === null ? isNull(apiToken.tenantId) : eq(apiToken.tenantId, tenantId),
					isNull(apiToken.revokedAt)
				)
			)
			.get();
		if (!found) return false;
		tx.update(apiToken).set({ revokedAt: now }).where(eq(apiToken.id, id)).run();
		audit(tx, actor, { action: 'api_token.revoke', tenantId, targetType: 'api_token', targetId: id, summary: found.name });
		return true;
	});
}

export interface TokenRow extends Omit<ApiToken, 'tokenHash'> {
	createdByName: string;
	state: 'active' | 'expired' | 'revoked';
}

/** The organisation's tokens, newest first, without their digests. */
export function listApiTokens(db: DbOrTx, tenantId: string | null, now = new Date()): TokenRow[] {
	return db
		.select({ token: apiToken, createdByName: user.name })
		.from(apiToken)
		.innerJoin(user, eq(user.id, apiToken.createdBy))
		.where(tenantId === null ? isNull(apiToken.tenantId) : eq(apiToken.tenantId, tenantId))
		.orderBy(desc(apiToken.createdAt), desc(apiToken.id))
		.all()
		.map(({ token: { tokenHash: _hash, ...token }, createdByName }) => ({
			...token,
			createdByName,
			state: token.revokedAt ? 'revoked' : token.expiresAt && token.expiresAt <= now ? 'expired' : 'active'
		}));
}

/**
 * The caller behind a bearer token, or null when it is unknown, revoked or expired, or when the
 * person who created it is no longer an active administrator of that organisation (a token never
 * outlives its creator's authority).
 */
export function resolveApiToken(db: DbOrTx, token: string, ipAddress: string, now = new Date()): ApiCaller | null {
	if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
	const found = db
		.select({ token: apiToken, creator: user })
		.from(apiToken)
		.innerJoin(user, eq(user.id, apiToken.createdBy))
		.where(eq(apiToken.tokenHash, hashToken(token)))
		.get();
	if (!found || found.token.revokedAt || (found.token.expiresAt && found.token.expiresAt <= now)) return null;
	const { token: row, creator } = found;
	const role = tokenRole(row.tenantId);
	if (creator.status !== 'active' || creator.tenantId !== row.tenantId) return null;
	const holdsRole = db
		.select({ role: userRole.role })
		.from(userRole)
		.where(and(eq(userRole.userId, creator.id), eq(userRole.role, role)))
		.get();
	if (!holdsRole) return null;
	const label = `api-token:${row.name}`;
	return {
		token: { id: row.id, name: row.name, tenantId: row.tenantId, scopes: row.scopes },
		user: { id: creator.id, email: creator.email, name: `${row.name} (API)`, tenantId: row.tenantId, roles: [role] },
		actor: { id: creator.id, label, ipAddress }
	};
}

/**
 * Records one API call: an audit entry with the token's name, and the token's last use (at most
 * once a minute). Both in one transaction.
 */
export function recordApiCall(db: Db, caller: ApiCaller, call: { method: string; path: string; status: number }, now = new Date()): void {
	db.transaction((tx) => {
		audit(tx, caller.actor, {
			action: 'api.call',
			tenantId: caller.token.tenantId,
			targetType: 'api_token',
			targetId: caller.token.id,
			summary: `${call.method} ${call.path} → ${call.status}`,
			at: now
		});
		tx.update(apiToken)
			.set({ lastUsedAt: now })
			.where(
				and(
					eq(apiToken.id, caller.token.id),
					or(isNull(apiToken.lastUsedAt), lt(apiToken.lastUsedAt, new Date(now.getTime() - LAST_USE_STEP_MS)))
				)
			)
			.run();
	});
}
