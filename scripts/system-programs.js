// The programs outside npm that the tests need, found on PATH or installed from Debian's packages
// when running as root, so `npm test` works on a fresh machine exactly as CI runs it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Every program the unit and browser tests call, with the Debian package that provides it. */
export const TEST_PROGRAMS = [
	{ program: 'pdftotext', aptPackage: 'poppler-utils', why: 'reads the text of generated PDFs' },
	{ program: 'pdfsig', aptPackage: 'poppler-utils', why: 'validates the seal on signed agreements' },
	{ program: 'openssl', aptPackage: 'openssl', why: 'makes test certificates' }
];

export function isExecutable(path) {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** The full path of `program` on PATH, or null. */
export function onPath(program) {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir && isExecutable(join(dir, program))) return join(dir, program);
	}
	return null;
}

/** Runs a command with inherited stdio; returns its exit code (127 when it cannot start). */
export function run(cmd, args, env = process.env) {
	console.log(`\n$ ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env });
	if (r.error) {
		console.error(`could not run ${cmd}: ${r.error.message}`);
		return 127;
	}
	return r.status ?? 1;
}

export function canUseApt() {
	return (
		process.getuid?.() === 0 && existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0
	);
}

let aptUpdated = false;

/** Installs Debian packages (root only); true when apt-get succeeded. */
export function aptInstall(packages) {
	if (!canUseApt()) return false;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		if (run('apt-get', ['update'], env) !== 0) return false;
		aptUpdated = true;
	}
	return run('apt-get', ['install', '-y', ...packages], env) === 0;
}

/**
 * Makes sure every program in `TEST_PROGRAMS` is on PATH, installing the missing ones' packages as
 * root. Returns the list of programs still missing (empty when all are there).
 */
export function provideTestPrograms() {
	const missing = () => TEST_PROGRAMS.filter((p) => !onPath(p.program));
	const first = missing();
	if (!first.length) return [];
	const packages = [...new Set(first.map((p) => p.aptPackage))];
	console.log(`test: missing ${first.map((p) => p.program).join(', ')}; installing Debian's ${packages.join(', ')}.`);
	aptInstall(packages);
	return missing();
}

/** The message for programs that could not be provided: what each is for and the command to run. */
export function missingProgramsMessage(missing) {
	const packages = [...new Set(missing.map((p) => p.aptPackage))].join(' ');
	return [
		'test: these programs are needed and could not be installed here:',
		...missing.map((p) => `  ${p.program} (${p.why})`),
		'Install them, then run npm test again:',
		`  sudo apt-get update && sudo apt-get install -y ${packages}    # Debian, Ubuntu`,
		`  brew install poppler openssl                                    # macOS`
	].join('\n');
}
