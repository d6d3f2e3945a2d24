import { z } from 'zod';
import { password } from './fields';

export const changePasswordSchema = z.object({
	currentPassword: z.string().min(1, { error: 'error_required' }).max(256, { error: 'error_password_too_long' }),
	password,
	passwordConfirm: z.string()
});
