import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy';

describe('checkPassword length', () => {
	it('needs at least 12 characters', () => {
		expect(checkPassword('Kv7#mPq2xLz')).toBe('too_short');
		expect(checkPassword('Kv7#mPq2xLz9')).toBeNull();
	});

	it('counts code points, not UTF-16 units', () => {
		// Eleven emoji are 22 UTF-16 units but only 11 characters.
		expect(checkPassword('🦊🐻🦉🐺🦌🐿🦔🦢🐸🦆🐝')).toBe('too_short');
		expect(checkPassword('🦊🐻🦉🐺🦌🐿🦔🦢🐸🦆🐝🐞')).toBeNull();
	});

	it('allows up to 256 characters', () => {
		const phrase = 'kuusi hirveä kiveä ja 9 lintua ';
		const long = phrase.repeat(9).slice(0, 256);
		expect(checkPassword(long)).toBeNull();
		expect(checkPassword(long + 'x')).toBe('too_long');
	});
});

describe('checkPassword common passwords', () => {
	it.each([
		'password1234',
		'Password1234',
		'PASSWORD1234!',
		'P@ssw0rd1234',
		'1234password',
		'passwordpassword',
		'Salasana2024!',
		'salasanasalasana',
		'Tervetuloa123',
		'iloveyou1234',
		'L3tm3in2024!',
		'ＰＡＳＳＷＯＲＤ１２３４',
		'trustno1trustno1',
		'correcthorsebatterystaple',
		'zaq12wsxcde3'
	])('rejects %s', (password) => {
		expect(checkPassword(password)).toBe('too_common');
	});

	it.each([
		'qwertyuiopasdf',
		'qwertyuiopåasdf',
		'1q2w3e4r5t6y',
		'1qaz2wsx3edc',
		'qazwsxedcrfv',
		'lkjhgfdsapoiu',
		'asdfghjkl123',
		'123456qwerty'
	])('rejects the keyboard walk %s', (password) => {
		expect(checkPassword(password)).toBe('too_common');
	});

	it.each([
		'aaaaaaaaaaaa',
		'............',
		'abababababab',
		'123412341234',
		'123456123456',
		'qwertyqwerty',
		'123456789012',
		'210987654321',
		'abcdefghijklm',
		'zyxwvutsrqpo'
	])('rejects the repetition or sequence %s', (password) => {
		expect(checkPassword(password)).toBe('too_common');
	});

	it.each([
		'Kv7#mPq2xLz9',
		'hevonen juoksee nopeasti',
		'correct horse battery staple',
		'Salasana on kissa 7',
		'193847562019',
		'lösenordet är långt nu'
	])('accepts %s', (password) => {
		expect(checkPassword(password)).toBeNull();
	});
});

describe('checkPassword personal details', () => {
	const context = { email: 'Matti.Meikalainen@example.fi', name: 'Matti Meikäläinen' };

	it.each([
		'matti.meikalainen@example.fi',
		'Matti.Meikalainen2024',
		'matti meikäläinen',
		'MattiMeikäläinen1',
		'Meikäläinen2024!',
		'2024Meikäläinen'
	])('rejects %s for Matti', (password) => {
		expect(checkPassword(password, context)).toBe('too_common');
	});

	it('accepts the same passwords for someone else', () => {
		const other = { email: 'anna@example.fi', name: 'Anna Virtanen' };
		expect(checkPassword('Matti.Meikalainen2024', other)).toBeNull();
		expect(checkPassword('Meikäläinen2024!', other)).toBeNull();
	});

	it('accepts a password that merely contains the name among other words', () => {
		expect(checkPassword('matti ajaa pyörällä töihin', context)).toBeNull();
	});

	it('ignores missing or empty details', () => {
		expect(checkPassword('193847562019', { email: '', name: '' })).toBeNull();
		expect(checkPassword('193847562019', {})).toBeNull();
	});
});
