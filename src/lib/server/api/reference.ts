/**
 * The API reference as one plain HTML page (no script, no style sheet: the page is served with
 * the locked-down policy of non-page responses), rendered from the OpenAPI document so the two
 * never disagree. In English, like the API's names and messages.
 */

type Json = Record<string, unknown>;

const escape = (text: unknown) =>
	String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** `code` spans in summaries, after escaping. */
const inline = (text: unknown) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

function typeOf(schema: Json | undefined): string {
	if (!schema) return '';
	if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()!;
	if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
	if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
	const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
	return schema.format ? `${type} (${String(schema.format)})` : type;
}

function propertiesTable(schema: Json): string {
	const properties = (schema.properties ?? {}) as Record<string, Json>;
	const required = (schema.required ?? []) as string[];
	const rows = Object.entries(properties).map(
		([name, property]) =>
			`<tr><td><code>${escape(name)}</code>${required.includes(name) ? '' : ' (optional)'}</td><td>${escape(typeOf(property))}</td><td>${inline(property.description)}</td></tr>`
	);
	return `<table><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function renderApiReference(doc: Json): string {
	const info = doc.info as Json;
	const server = ((doc.servers as Json[])[0]?.url as string) ?? '';
	const paths = doc.paths as Record<string, Record<string, Json>>;
	const schemas = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
	const operations = Object.entries(paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, op]) => {
			const params = (op.parameters ?? []) as Json[];
			const paramRows = params.map(
				(p) =>
					`<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}${p.required ? '' : ' (optional)'}</td><td>${escape(typeOf(p.schema as Json))}</td><td>${inline(p.description)}</td></tr>`
			);
			const ok = Object.entries(op.responses as Record<string, Json>).find(([status]) => status.startsWith('2'));
			const content = (ok?.[1].content ?? {}) as Record<string, Json>;
			const [mediaType, media] = Object.entries(content)[0] ?? ['', {}];
			const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
			return `<section id="${escape(op.operationId)}">
<h3><code>${method.toUpperCase()} ${escape(path)}</code></h3>
<p>${inline(op.summary)}</p>
<p>Scope: <code>${escape(op['x-scope'])}</code></p>
${paramRows.length ? `<table><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Notes</th></tr></thead><tbody>${paramRows.join('')}</tbody></table>` : ''}
${body ? `<p>Body: <code>application/json</code>, ${escape(typeOf(Object.values(body)[0]?.schema as Json))}</p>` : ''}
<p>Answers ${escape(ok?.[0])} with <code>${escape(mediaType)}</code>${media.schema ? `: ${escape(typeOf(media.schema as Json))}` : ''}.</p>
</section>`;
		})
	);
	const webhooks = Object.entries((doc.webhooks ?? {}) as Record<string, { post: Json }>).map(([event, { post }]) => {
		const body = ((post.requestBody as Json).content as Record<string, Json>)['application/json'].schema as Json;
		const data = ((body.properties as Record<string, Json> | undefined)?.data ?? {}) as Json;
		return `<section id="webhook-${escape(event)}"><h3><code>${escape(event)}</code></h3><p>${inline(post.summary)}</p>${propertiesTable(data)}</section>`;
	});
	const models = Object.entries(schemas).map(
		([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${propertiesTable(schema)}</section>`
	);
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(info.title)}</title></head>
<body>
<header><h1>${escape(info.title)} ${escape(info.version)}</h1></header>
<main>
<p>${inline(info.description)}</p>
<p>Base address: <code>${escape(server)}</code>. Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<p>Example: <code>curl -H "Authorization: Bearer $LIITOS_TOKEN" ${escape(server)}/tenants?stage=in_production</code></p>
<h2>Operations</h2>
${operations.join('\n')}
<h2>Webhook events</h2>
<p>Registered under Administration → Webhooks. Each is <code>POST</code>ed as JSON <code>{ type, timestamp, data }</code> with the Standard Webhooks headers <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>; <code>data</code> holds:</p>
${webhooks.join('\n')}
<h2>Schemas</h2>
${models.join('\n')}
</main>
</body>
</html>`;
}
