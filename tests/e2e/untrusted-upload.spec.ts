import { DEMO_PASSWORD, DEMO_URL, expect, signIn, test } from './fixtures';
import { doubleFlateBomb, hexFlateBomb, objectStreamBomb } from '../fixtures/pdf-bombs';

// Security issue #12: a small PDF that inflates to hundreds of megabytes used to hold every other
// request while /verify read it. Runs against the built server, so the worker file is the bundled one.
test('PDF bombs at /verify are refused while other requests are answered', async ({ browser }) => {
	const context = await browser.newContext({ locale: 'en-GB' });
	const page = await context.newPage();
	await signIn(page, DEMO_URL, 'admin@tenant3.demo.test', DEMO_PASSWORD);

	const post = (name: string, buffer: Buffer) =>
		page.request.post(`${DEMO_URL}/verify`, {
			headers: { origin: DEMO_URL },
			multipart: { file: { name, mimeType: 'application/pdf', buffer } }
		});
	const order: string[] = [];
	const finished = async <T>(name: string, pending: Promise<T>) => {
		const value = await pending;
		order.push(name);
		return value;
	};

	const bombs = [objectStreamBomb(), doubleFlateBomb(), hexFlateBomb()];
	const refused = bombs.map((bomb, i) => finished(`bomb ${i}`, post(`bomb-${i}.pdf`, bomb)));
	// Give the server the bombs first, so an event loop they blocked would hold this request too.
	await new Promise((resolve) => setTimeout(resolve, 50));
	const other = await finished('other page', page.request.get(`${DEMO_URL}/verify`));
	expect(other.status()).toBe(200);

	const responses = await Promise.all(refused);
	expect(order[0]).toBe('other page');
	for (const response of responses) {
		expect(await response.text()).toContain('The file was refused: its compressed content expands to more than 32 MB');
	}

	// An ordinary PDF still goes through the worker and gets its answer.
	await page.goto(`${DEMO_URL}/verify`);
	await page.getByLabel('PDF file').setInputFiles({ name: 'bomb.pdf', mimeType: 'application/pdf', buffer: doubleFlateBomb() });
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page.getByRole('alert')).toContainText('The file was refused');
	const plain = Buffer.from(
		'%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'
	);
	await page.getByLabel('PDF file').setInputFiles({ name: 'plain.pdf', mimeType: 'application/pdf', buffer: plain });
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page.getByTestId('verify-result')).toContainText('This file is not an agreement sealed in Liitos.');
	await context.close();
});
