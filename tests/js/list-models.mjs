// list-models.mjs: list models from $HF_ENDPOINT with the official
// @huggingface/hub client and print what it yields, one JSON object a line.
//
// usage: node list-models.mjs [--owner ORG] [--query S] [--tag TAG]...
//          [--task TASK] [--sort KEY] [--limit N] [--fields F,F...]
//
// --fields is the client's additionalFields (default:
// config,safetensors,tags,author,createdAt). HF_TOKEN, when set, is passed as
// the client's accessToken. Exit status 1 on any client error (message on
// stderr).
import { listModels } from "@huggingface/hub";

const args = process.argv.slice(2);
const search = {};
const params = {
	hubUrl: (process.env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
	additionalFields: ["config", "safetensors", "tags", "author", "createdAt"],
};
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	const v = args[i + 1];
	if (v === undefined) {
		console.error(`list-models: ${a} needs a value`);
		process.exit(2);
	}
	i++;
	switch (a) {
		case "--owner": search.owner = v; break;
		case "--query": search.query = v; break;
		case "--task": search.task = v; break;
		case "--tag": (search.tags ??= []).push(v); break;
		case "--sort": params.sort = v; break;
		case "--limit": params.limit = Number(v); break;
		case "--fields": params.additionalFields = v ? v.split(",") : []; break;
		default:
			console.error(`list-models: unknown option ${a}`);
			process.exit(2);
	}
}
if (Object.keys(search).length) params.search = search;
if (process.env.HF_TOKEN) params.accessToken = process.env.HF_TOKEN;

try {
	const out = [];
	for await (const m of listModels(params)) {
		out.push(JSON.stringify(m));
		if (out.length >= 1000) {
			process.stdout.write(out.join("\n") + "\n");
			out.length = 0;
		}
	}
	if (out.length) process.stdout.write(out.join("\n") + "\n");
} catch (e) {
	console.error(`list-models: ${e.message}`);
	process.exit(1);
}
