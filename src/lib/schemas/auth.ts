import { z } from 'zod';
import { ROLES } from '$lib/domain';
import { email, password, requiredText } from './fields';

export const loginSchema = z.object({
	email: z.string().trim().min(1, { error: 'error_required' }).max(254, { error: 'error_too_long' }),
	password: z.string().min(1, { error: 'error_required' }).max(256, { error: 'error_password_too_long' })
});

export const newPasswordSchema = z.object({ password, passwordConfirm: z.string() });

export const passwordResetRequestSchema = z.object({ email });

const roles = z.array(z.enum(ROLES)).min(1, { error: 'error_choose_role' });

export const inviteSchema = z.object({ name: requiredText(), email, roles });

export const rolesSchema = z.object({ roles });

/** An authenticator code or a recovery code; which one is decided on the server. */
export const secondFactorSchema = z.object({
	code: z.string().trim().min(1, { error: 'error_required' }).max(20, { error: 'error_too_long' })
});

/** Enrolling: a code from the new app; replacing one, also a code from the old app (or a recovery code). */
export const enrolmentSchema = secondFactorSchema.extend({
	currentCode: z.string().trim().max(20, { error: 'error_too_long' }).default('')
});
