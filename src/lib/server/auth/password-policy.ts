/**
 * Password rules in the spirit of NIST SP 800-63B: a length floor and ceiling, and a refusal of
 * passwords an attacker would try first. No composition rules (they push people to `Password1!`).
 */

export type PasswordProblem = 'too_short' | 'too_long' | 'too_common';

const MIN_LENGTH = 12;
// Long enough for any passphrase, short enough that hashing a hostile input stays cheap.
const MAX_LENGTH = 256;

/**
 * Words that top leaked-password lists, with Finnish and Swedish favourites and words tied to this
 * service. Compared after stripping digits and symbols from both ends and undoing common
 * letter-for-digit swaps, so `Salasana2024!` and `P@ssw0rd1234` count as the word itself.
 */
const WEAK_WORDS = new Set(
	`password passwort passord passwd pass mypassword newpassword thepassword yourpassword
	changeme changepassword default secret topsecret letmein welcome login logon access
	admin administrator root user guest test testing tester master system manager
	qwerty qwertz azerty asdf asdfgh asdfghjkl zxcvbnm qazwsx abc abcd abcdef abcdefgh
	iloveyou iloveyouforever ihateyou loveme lovely love hello hellothere whatever
	monkey dragon shadow sunshine princess superman batman spiderman starwars pokemon
	football baseball basketball soccer hockey golf tennis
	michael jennifer jordan charlie thomas hunter killer freedom computer internet
	flower cookie cheese chocolate pepper ginger maggie buster tigger matrix mustang
	ferrari mercedes liverpool arsenal chelsea manchester barcelona london america
	orange purple banana apple samsung nokia google facebook microsoft windows linux
	summer winter spring autumn january february december
	salasana salainen uusisalasana omasalasana vaihdasalasana tunnus kayttaja käyttäjä
	tervetuloa moikka terve kissa koira perkele suomi finland helsinki tampere turku
	oulu espoo vantaa joulu kesä talvi kevät syksy rakkaus kulta aurinko jääkiekko leijonat
	tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu
	lokakuu marraskuu joulukuu maanantai perjantai
	lösenord losenord hemligt hemlig välkommen valkommen hejsan sommar vinter sverige
	kanta kantapalvelut liitos liittyjä sote terveys hyvinvointi sairaala potilas
	hoitaja lääkäri laakari apteekki`.split(/\s+/)
);

/** Whole passwords of twelve or more characters from leaked lists that the rules below miss. */
const COMMON_PASSWORDS = new Set(
	`trustno1trustno1 blink182blink182 michaeljordan correcthorsebatterystaple
	thequickbrownfox thequickbrownfoxjumpsoverthelazydog iloveyoubaby iloveyoutoo
	ilovemyfamily ilovemymom ilovemydog iloveyousomuch letmein123456 passw0rdpassw0rd
	p@ssw0rd1234 p@$$w0rd1234 password1234! password123! password@1234 welcome@1234
	admin@123456 administrator1 qwerty123456! 1q2w3e4r5t6y! 1qaz2wsx3edc! 1qaz@wsx3edc
	!qaz2wsx#edc !qaz@wsx#edc$rfv zaq12wsxcde3 zaq!2wsx#edc 123qweasdzxc 123qwe123qwe
	1234qwerasdf qwer1234asdf 1234qwer1234 1234abcd1234 abcd1234abcd a1b2c3d4e5f6
	a1b2c3d4e5f6g7 1a2b3c4d5e6f aa123456789a 123456789abc 123456789qwe 123456789asd
	123456qwerty 12345678abcd abc123abc123 abc123456789 11223344556677 112233445566
	123456123456 123451234512345 147258369147 159753159753
	147852369147 741852963741 789456123789 159357159357 135792468013 246813579135
	987654321987 123698745123 102030405060 100200300400 5201314520131 000000000001
	salasana1234 salasana123! tervetuloa123 tervetuloa2024 kesä2024kesä2024
	kissakoira123 suomisuomi12 hyvääpäivää1 moimoimoimoi`.split(/\s+/)
);

/** Keyboard rows and diagonals (Finnish/Swedish layout); any 4+ character stretch is a walk. */
const KEYBOARD_WALKS = [
	'1234567890+',
	'qwertyuiopåasdfghjklöäzxcvbnm',
	'qwertyuiopasdfghjklzxcvbnm',
	'1q2w3e4r5t6y7u8i9o0p',
	'q1w2e3r4t5y6u7i8o9p0',
	'1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0pö-',
	'qazwsxedcrfvtgbyhnujmikolp',
	'zaq1xsw2cde3vfr4bgt5nhy6mju7',
	'!qaz@wsx#edc$rfv%tgb',
	'qwerasdfzxcv',
	'1234qwerasdfzxcv'
];

/** Digit and symbol stand-ins for letters; `1` is handled apart because it reads as `i` or `l`. */
const LEET: Record<string, string> = {
	'0': 'o',
	'3': 'e',
	'4': 'a',
	'5': 's',
	'7': 't',
	'@': 'a',
	$: 's',
	'!': 'i'
};

/** Checks a new password; returns the problem, or null when it is acceptable. */
export function checkPassword(password: string, context: { email?: string; name?: string } = {}): PasswordProblem | null {
	// Code points, not UTF-16 units, so an emoji or a composed letter counts once.
	const length = [...password].length;
	if (length < MIN_LENGTH) return 'too_short';
	if (length > MAX_LENGTH) return 'too_long';

	const folded = fold(password);
	const core = trimPadding(folded);
	if (
		COMMON_PASSWORDS.has(folded) ||
		isPredictable(folded) ||
		(core.length >= 4 && isPredictable(core)) ||
		matchesPersonalDetails(core, context)
	) {
		return 'too_common';
	}
	return null;
}

/** Case- and compatibility-folded: `ＰＡＳＳＷＯＲＤ` and `PASSWORD` both become `password`. */
function fold(value: string): string {
	return value.normalize('NFKC').toLowerCase();
}

/** Drops digits and symbols from both ends: the padding people add to meet a length rule. */
function trimPadding(value: string): string {
	return value.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

function isPredictable(value: string): boolean {
	const unit = repeatingUnit(value);
	// `aaaaaaaaaaaa`, `abababababab`, `1234123412341234`: a short block repeated.
	if (unit.length < value.length && unit.length <= 4) return true;
	return isStraightSequence(unit) || isKeyboardWalk(unit) || isWeakWord(unit);
}

/** The shortest block the value is a whole repetition of (the value itself if none). */
function repeatingUnit(value: string): string {
	const chars = [...value];
	for (let size = 1; size <= chars.length / 2; size++) {
		if (chars.length % size !== 0) continue;
		const block = chars.slice(0, size).join('');
		if (block.repeat(chars.length / size) === value) return block;
	}
	return value;
}

/** `abcdefghijkl`, `zyxwvutsrqpo`, and digit runs that wrap round (`890123456789`). */
function isStraightSequence(value: string): boolean {
	const codes = [...value].map((c) => c.codePointAt(0)!);
	if (codes.length < 3) return false;
	const digitsOnly = /^[0-9]+$/.test(value);
	const step = (a: number, b: number) => (digitsOnly ? (b - a + 10) % 10 : b - a);
	const first = step(codes[0], codes[1]);
	if (!(digitsOnly ? [1, 9] : [1, -1]).includes(first)) return false;
	return codes.every((code, i) => i === 0 || step(codes[i - 1], code) === first);
}

function isKeyboardWalk(value: string): boolean {
	if (value.length < 4) return false;
	return KEYBOARD_WALKS.some((walk) => walk.includes(value) || [...walk].reverse().join('').includes(value));
}

function isWeakWord(value: string): boolean {
	if (WEAK_WORDS.has(value)) return true;
	// `1` stands for both `i` and `l` (`adm1n`, `he11o`); try each reading.
	return ['i', 'l'].some((one) => {
		const plain = [...value].map((c) => (c === '1' ? one : (LEET[c] ?? c))).join('');
		return WEAK_WORDS.has(plain);
	});
}

/** The user's own e-mail address or name, optionally padded with digits or symbols. */
function matchesPersonalDetails(core: string, context: { email?: string; name?: string }): boolean {
	const email = fold(context.email ?? '').trim();
	const name = fold(context.name ?? '').trim();
	const candidates = [email, email.split('@')[0], name, name.replace(/\s+/g, '')];
	// Single names too: `Meikäläinen2024!` is as guessable as the full name.
	candidates.push(...name.split(/\s+/).filter((part) => [...part].length >= 3));
	return candidates.some((candidate) => {
		const trimmed = trimPadding(candidate);
		return trimmed !== '' && trimmed === core;
	});
}
