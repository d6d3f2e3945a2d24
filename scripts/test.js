#!/usr/bin/env node
// Full test run: lint, type check, unit tests, browser tests. Every step runs even after a
// failure so one run shows everything; the last line is "N passed, M failed".
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingProgramsMessage, provideTestPrograms } from './system-programs.js';

process.chdir(join(dirname(fileURLToPath(import.meta.url)), '..'));

// Programs outside npm (poppler's pdftotext and pdfsig, openssl) before anything runs, so a fresh
// machine gets them as CI does; Chromium is provided by scripts/e2e.js the same way.
const missing = provideTestPrograms();
if (missing.length) {
	console.error(missingProgramsMessage(missing));
	process.exit(1);
}

const steps = [
	{ name: 'lint', cmd: 'npm', args: ['run', 'lint'], parse: null },
	{ name: 'type check', cmd: 'npm', args: ['run', 'check'], parse: null },
	{ name: 'unit tests', cmd: 'npx', args: ['vitest', 'run'], parse: parseVitest },
	{ name: 'browser tests', cmd: process.execPath, args: ['scripts/e2e.js'], parse: parsePlaywright }
];

// eslint-disable-next-line no-control-regex -- ESC starts the terminal colour codes being stripped
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const count = (text, re) => Number(text.match(re)?.[1] ?? 0);

/** vitest: " Tests  3 passed | 1 failed (4)"; "Test Files" is a different line. */
function parseVitest(out) {
	const lines = [...out.matchAll(/^\s*Tests\s+(.+)$/gm)];
	if (!lines.length) return null;
	const line = lines[lines.length - 1][1];
	return { passed: count(line, /(\d+) passed/), failed: count(line, /(\d+) failed/) };
}

/** Playwright's list reporter ends with lines such as "  5 passed (8.2s)", "  1 failed". */
function parsePlaywright(out) {
	const pick = (word) => count(out, new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm'));
	const passed = pick('passed') + pick('flaky'); // flaky = passed on retry
	const failed = pick('failed') + pick('interrupted') + pick('timed out');
	return passed || failed ? { passed, failed } : null;
}

let interrupted = false;
// Ctrl-C reaches the child directly (same process group); just stop starting new steps.
process.on('SIGINT', () => (interrupted = true));
process.on('SIGTERM', () => (interrupted = true));

function runStep(step) {
	return new Promise((resolve) => {
		const started = Date.now();
		let out = '';
		const child = spawn(step.cmd, step.args, {
			stdio: ['inherit', 'pipe', 'pipe'],
			// Output is piped for parsing; keep the colours a terminal would have shown.
			env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env
		});
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			out += d;
		});
		child.stderr.on('data', (d) => {
			process.stderr.write(d);
			out += d;
		});
		const done = (code) => resolve({ code, ms: Date.now() - started, counts: step.parse?.(stripAnsi(out)) ?? null });
		child.on('error', (err) => {
			console.error(`test: could not start ${step.cmd}: ${err.message}`);
			done(127);
		});
		child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
	});
}

const results = [];
for (const step of steps) {
	if (interrupted) {
		results.push({ step, skipped: true });
		continue;
	}
	console.log(`\n━━ ${step.name}: ${[step.cmd === process.execPath ? 'node' : step.cmd, ...step.args].join(' ')}`);
	results.push({ step, ...(await runStep(step)) });
}

// Totals count test cases where a runner reported them, otherwise the step as one unit.
// A failing step always adds at least one failure (a crashed runner or a broken build
// may fail without reporting any test).
let passed = 0;
let failed = 0;
const rows = results.map((r) => {
	if (r.skipped) {
		failed += 1;
		return [r.step.name, 'SKIPPED', '-', 'interrupted'];
	}
	const ok = r.code === 0;
	let detail;
	if (r.counts) {
		passed += r.counts.passed;
		failed += r.counts.failed || (ok ? 0 : 1);
		detail = `${r.counts.passed} passed, ${r.counts.failed} failed`;
	} else {
		if (ok) passed += 1;
		else failed += 1;
		detail = ok ? '' : `exit code ${r.code}`;
	}
	return [r.step.name, ok ? 'PASS' : 'FAIL', `${(r.ms / 1000).toFixed(1)}s`, detail];
});

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
console.log('\n━━ summary');
for (const row of rows) {
	console.log(`  ${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padStart(widths[2])}  ${row[3]}`.trimEnd());
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.some((r) => r.skipped || r.code !== 0) ? 1 : 0);
