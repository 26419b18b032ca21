#!/usr/bin/env bats
# The property test of SPEC 2.2-2.4: on a synthetic Hub corpus from the
# fake Hub (every awkward case in it), every record of hf-arch,
# hf-filter-quant and hf-classify equals what an independent implementation
# of the rules (Python's json module, below) computes, record for record;
# then the same with random bytes of the input corrupted: no stage crashes,
# every malformed line is reported, and every line still valid comes
# through as the reference says.
bats_require_minimum_version 1.5.0

setup_file() {
	load helper
	hf_setup
	export D="$BATS_FILE_TMPDIR"
	export REF="$D/ref.py" REG="$ROOT/data/registry.json"
	cat >"$REF" <<-'EOF'
	"""An independent reading of SPEC 2.2-2.4 (Python standard library)."""
	import json, random, sys

	INCOMPATIBLE = ["-gguf", "_gguf", "-GGUF", "_GGUF", "mlx-community/",
	    "-mlx", "-MLX", "_mlx", "_MLX", ".mlx", ".MLX", "-fp8", "_fp8",
	    "-FP8", "_FP8", "-nvfp4", "_nvfp4", "-NVFP4", "_NVFP4", "-mxfp4",
	    "_mxfp4", "-MXFP4", "_MXFP4"]
	LOADABLE = ["-awq", "_awq", "-AWQ", "_AWQ", "-gptq", "_gptq", "-GPTQ",
	    "_GPTQ", "GPTQ", "-bnb-", "_bnb_", "bnb-4bit", "bnb-8bit", "-4bit",
	    "_4bit", "-8bit", "_8bit", "-int4", "_int4", "-int8", "_int8",
	    "-w4a16", "-w8a8", "-W4A16", "-W8A8", ".w4a16", ".W4A16", "-hqq",
	    "_hqq", "-HQQ", "_HQQ", "-3bit", "_3bit", "-2bit", "_2bit", "-5bit",
	    "-6bit", "-oQ", "_oQ", "-quantized.", "_Quantized", "-Quantized"]
	LIBRARY = [
	    (("-hqq", "_hqq", "-HQQ", "_HQQ"), "hqq"),
	    (("-gptq", "_gptq", "-GPTQ", "_GPTQ", "GPTQ"), "auto_gptq"),
	    (("-awq", "_awq", "-AWQ", "_AWQ"), "awq"),
	    (("-w4a16", "-w8a8", "-W4A16", "-W8A8", ".w4a16", ".W4A16"),
	     "auto_gptq"),
	    (("-bnb-", "_bnb_", "bnb-4bit", "bnb-8bit"), "bitsandbytes"),
	    (("-4bit", "_4bit", "-8bit", "_8bit", "-int4", "_int4", "-int8",
	      "_int8"), "bitsandbytes"),
	]

	def no_constant(s):
	    raise ValueError(s)

	def check_strings(v):
	    """A lone surrogate escape makes a line malformed."""
	    if isinstance(v, str):
	        v.encode("utf-8")
	    elif isinstance(v, list):
	        for x in v:
	            check_strings(x)
	    elif isinstance(v, tuple):
	        check_strings(v[0])
	        check_strings(v[1])

	def parse(raw):
	    """(dict, pairs) of a valid line, else None."""
	    try:
	        text = raw.decode("utf-8")
	        pairs = json.loads(text, parse_constant=no_constant,
	                           object_pairs_hook=list)
	        check_strings(pairs)
	        obj = json.loads(text)
	    except (ValueError, UnicodeError, RecursionError):
	        return None
	    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
	        return None
	    return obj, pairs

	def lines(path):
	    data = open(path, "rb").read()
	    out = data.split(b"\n")
	    if data.endswith(b"\n"):
	        out.pop()
	    return out

	def integer(v):
	    return type(v) is int and -2**63 <= v < 2**63

	def text(v):
	    return v if isinstance(v, str) else None

	def parameter_count(item):
	    st, cfg = item.get("safetensors"), item.get("config")
	    if isinstance(st, dict):
	        if integer(st.get("total")):
	            return st["total"]
	        p = st.get("parameters")
	        if isinstance(p, dict) and p and all(map(integer, p.values())) \
	                and integer(sum(p.values())):
	            return sum(p.values())
	    if isinstance(cfg, dict):
	        for k in ("num_parameters", "n_params", "num_params"):
	            if integer(cfg.get(k)):
	                return cfg[k]
	    return None

	def author_of(obj):
	    a = obj.get("author")
	    return a if isinstance(a, str) else obj["id"].split("/", 1)[0]

	def record(item):
	    cfg = item.get("config")
	    archs = cfg.get("architectures") if isinstance(cfg, dict) else None
	    tags, gated = item.get("tags"), item.get("gated")
	    return {
	        "id": item["id"],
	        "author": author_of(item),
	        "architecture": archs[0] if isinstance(archs, list) and archs
	        and isinstance(archs[0], str) else None,
	        "downloads": item["downloads"]
	        if integer(item.get("downloads")) else None,
	        "likes": item["likes"] if integer(item.get("likes")) else None,
	        "last_modified": text(item.get("lastModified")),
	        "tags": [t for t in tags if isinstance(t, str)]
	        if isinstance(tags, list) else [],
	        "pipeline_tag": text(item.get("pipeline_tag")),
	        "gated": gated if isinstance(gated, (bool, str)) else None,
	        "parameter_count": parameter_count(item),
	    }

	def quant(mid):
	    if any(p in mid for p in INCOMPATIBLE):
	        return "incompatible"
	    if any(p in mid for p in LOADABLE):
	        return "loadable"
	    return None

	def library(mid):
	    for pats, lib in LIBRARY:
	        if any(p in mid for p in pats):
	            return lib
	    return None

	def dump(v):
	    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))

	class Classify:
	    def __init__(self, registry, opts):
	        reg = json.load(open(registry, encoding="utf-8"))
	        self.supported = set(reg["supported_architectures"])
	        self.canon = reg.get("canonical_authors_by_arch", {})
	        self.arch = self.min = None
	        self.canonical_only = False
	        while opts:
	            o = opts.pop(0)
	            if o == "--architecture":
	                self.arch = opts.pop(0)
	            elif o == "--min-downloads":
	                self.min = int(opts.pop(0))
	            elif o == "--canonical-only":
	                self.canonical_only = True

	    def __call__(self, obj):
	        """(supported, canonical), or None when left out."""
	        arch = obj.get("architecture")
	        arch = arch if isinstance(arch, str) else None
	        sup = arch in self.supported
	        can = arch is not None and author_of(obj) in self.canon.get(arch, [])
	        d = obj.get("downloads")
	        d = d if integer(d) else 0
	        if self.arch is not None and arch != self.arch:
	            return None
	        if self.canonical_only and not (sup and can):
	            return None
	        if self.min is not None and d < self.min and not can:
	            return None
	        return sup, can

	def keep(mid, policy):
	    """(kept, library key to add or not)."""
	    q = quant(mid)
	    kept = q is None or (q == "loadable" and "keep" in policy)
	    if "invert" in policy:
	        return not kept, False
	    return kept, q == "loadable" and kept

	def replace(pairs, new):
	    names = [k for k, _ in new]
	    return [(k, v) for k, v in pairs if k not in names] + new

	def main(mode, args):
	    out = sys.stdout
	    bad = open(args.pop(0), "w")
	    if mode == "arch":		# arch BAD IN
	        for n, raw in enumerate(lines(args[0]), 1):
	            p = parse(raw)
	            if p is None:
	                print(n, file=bad)
	                continue
	            print(dump(record(p[0])), file=out)
	    elif mode == "pipe":	# pipe BAD REGISTRY POLICY [opts] IN
	        cl = Classify(args[0], args[2:-1])
	        for raw in lines(args[-1]):
	            p = parse(raw)
	            if p is None:
	                continue
	            rec = record(p[0])
	            kept, lib = keep(rec["id"], args[1])
	            if not kept:
	                continue
	            if lib:
	                rec["quant_library"] = library(rec["id"])
	            c = cl(rec)
	            if c is None:
	                continue
	            rec["supported"], rec["canonical"] = c
	            print(dump(rec), file=out)
	    elif mode == "quant":	# quant BAD POLICY IN: pairs, one a line
	        for n, raw in enumerate(lines(args[1]), 1):
	            p = parse(raw)
	            if p is None:
	                print(n, file=bad)
	                continue
	            kept, lib = keep(p[0]["id"], args[0])
	            if kept:
	                new = [("quant_library", library(p[0]["id"]))] if lib else []
	                print(dump(replace(p[1], new)), file=out)
	    elif mode == "classify":	# classify BAD REGISTRY [opts] IN: pairs
	        cl = Classify(args[0], args[1:-1])
	        for n, raw in enumerate(lines(args[-1]), 1):
	            p = parse(raw)
	            if p is None:
	                print(n, file=bad)
	                continue
	            c = cl(p[0])
	            if c is not None:
	                print(dump(replace(p[1], [("supported", c[0]),
	                                          ("canonical", c[1])])), file=out)
	    elif mode == "pairs":	# pairs BAD IN: what a stage wrote, as pairs
	        for raw in lines(args[0]):
	            print(dump(json.loads(raw, object_pairs_hook=list)), file=out)
	    elif mode == "corrupt":	# corrupt BAD SEED RATE IN
	        r = random.Random(int(args[0]))
	        w = sys.stdout.buffer
	        for raw in lines(args[2]):
	            b = bytearray(raw)
	            if r.random() < float(args[1]):
	                for _ in range(r.randint(1, 3)):
	                    at = r.randrange(len(b) + 1)
	                    op = r.randrange(6)
	                    if op == 0 and at < len(b):
	                        b[at] = r.randrange(256)
	                    elif op == 1 and at < len(b):
	                        del b[at]
	                    elif op == 2:
	                        b[at:at] = bytes([r.choice(b'{}[]",:\\0 \x00\n\xff')])
	                    elif op == 3:
	                        del b[at:]
	                    elif op == 4 and at < len(b):
	                        b[at] = r.choice(b'"\\{}[],:0a\xc3')
	                    elif op == 5:
	                        b[at:at] = b'\\u00'
	            w.write(bytes(b) + b"\n")

	main(sys.argv[1], sys.argv[2:])
	EOF
	python3 "$FAKEHUB" --synthetic 3000 --seed 20261127 --write-corpus "$D/raw.ndjson"
	python3 "$REF" arch "$D/raw.bad" "$D/raw.ndjson" >"$D/records.expected"
	hf-arch "$D/raw.ndjson" >"$D/records.ndjson"
}

setup() {
	load helper
	hf_setup
}

# The line numbers of a stage's FILE:LINE reports.
reported() {
	sed -n 's/^[^:]*: [^:]*:\([0-9][0-9]*\): .*/\1/p' "$1"
}

@test "records: the corpus has every awkward case the rules are about" {
	local raw="$D/raw.ndjson"
	assert_equal "$(wc -l <"$raw")" 3000
	grep -qF '"architectures":["Llama\u0046or' "$raw" || grep -qF '\u0046or' "$raw"
	grep -qF '"architectures":[42,' "$raw"
	grep -qF '"architectures":null' "$raw"
	grep -qF '"architectures":[]' "$raw"
	grep -qF '"tokenizer_config":{"bos_token":"<s>","eos_token":"</s>","architectures":["DecoyForCausalLM"]' "$raw"
	grep -qF '"parameters":{"total":12345' "$raw"
	grep -qF '"num_params":' "$raw"
	grep -qF '"downloads":1.5' "$raw" || grep -qF '"downloads":"' "$raw"
	grep -qE '"downloads":[0-9]{10,}' "$raw"
	grep -qF '"gated":"manual"' "$raw"
	grep -qF '\ud83' "$raw"
	[ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$raw")" -gt 1000000 ]
}

@test "records: hf-arch equals the independent implementation, record for record" {
	run -0 --separate-stderr hf-arch "$D/raw.ndjson"
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 3000
	[ ! -s "$D/raw.bad" ]
	run -0 cmp "$D/records.ndjson" "$D/records.expected"
}

@test "records: the whole pipeline, default policy, equals the reference" {
	python3 "$REF" pipe bad "$REG" default "$D/raw.ndjson" >expected
	hf-arch "$D/raw.ndjson" | hf-filter-quant 2>fq.err | hf-classify >got 2>cl.err
	run -0 cmp got expected
	[ "$(wc -l <got)" -gt 2000 ]
	assert_equal "$(cat cl.err)" ""
	# no record lost or invented: what is left out is counted
	run -0 sed -n 's/^hf-filter-quant: \([0-9]*\) of 3000 records left out (quantized)$/\1/p' fq.err
	assert_equal "$(( output + $(wc -l <got) ))" 3000
}

@test "records: the whole pipeline, --keep-loadable, equals the reference" {
	python3 "$REF" pipe bad "$REG" keep "$D/raw.ndjson" >expected
	hf-arch "$D/raw.ndjson" | hf-filter-quant --keep-loadable 2>/dev/null | hf-classify >got
	run -0 cmp got expected
	run -0 grep -c '"quant_library":"' got
	[ "$output" -gt 10 ]
}

@test "records: hf-classify's options equal the reference" {
	for opts in "--min-downloads 500" "--canonical-only" \
	    "--architecture LlamaForCausalLM" \
	    "--architecture Qwen2ForCausalLM --min-downloads 1000" \
	    "--canonical-only --min-downloads 100000"; do
		# shellcheck disable=SC2086
		python3 "$REF" pipe bad "$REG" keep $opts "$D/raw.ndjson" >expected
		# shellcheck disable=SC2086
		hf-filter-quant --keep-loadable "$D/records.ndjson" 2>/dev/null |
		    hf-classify $opts >got 2>err
		run -0 cmp got expected
		[ -s got ]
	done
}

@test "records: --invert is the complement, under both policies" {
	for policy in "" --keep-loadable; do
		hf-filter-quant $policy "$D/records.ndjson" >kept 2>/dev/null
		hf-filter-quant --invert $policy "$D/records.ndjson" >dropped 2>/dev/null
		run -0 sh -c 'cat kept dropped | jq -c "del(.quant_library)" | sort'
		assert_output "$(sort "$D/records.ndjson")"
	done
}

@test "records: corrupted raw items: no crash, each bad line reported, every valid line through" {
	for seed in 1 2 3; do
		python3 "$REF" corrupt bad "$seed" 0.08 "$D/raw.ndjson" >raw
		python3 "$REF" arch bad raw >expected
		run --separate-stderr hf-arch raw
		[ "$status" -eq 3 ]
		printf '%s\n' "$output" >got
		run -0 cmp got expected
		printf '%s\n' "$stderr" >err
		assert_equal "$(reported err)" "$(cat bad)"
		[ "$(wc -l <bad)" -gt 100 ]
	done
}

@test "records: corrupted records through hf-filter-quant and hf-classify" {
	for seed in 4; do
		python3 "$REF" corrupt bad "$seed" 0.08 "$D/records.ndjson" >in
		for policy in default keep invert invert-keep; do
			case $policy in
			default)	opts= ;;
			keep)		opts=--keep-loadable ;;
			invert)		opts=--invert ;;
			invert-keep)	opts="--invert --keep-loadable" ;;
			esac
			python3 "$REF" quant bad "$policy" in >expected
			run --separate-stderr hf-filter-quant $opts in
			[ "$status" -eq 3 ]
			printf '%s\n' "$output" >got
			python3 "$REF" pairs x got >got.pairs
			run -0 cmp got.pairs expected
			printf '%s\n' "$stderr" >err
			assert_equal "$(reported err)" "$(cat bad)"
		done
		for opts in "" "--min-downloads 500" "--canonical-only"; do
			# shellcheck disable=SC2086
			python3 "$REF" classify bad "$REG" $opts in >expected
			# shellcheck disable=SC2086
			run --separate-stderr hf-classify $opts in
			[ "$status" -eq 3 ]
			printf '%s\n' "$output" >got
			python3 "$REF" pairs x got >got.pairs
			run -0 cmp got.pairs expected
			printf '%s\n' "$stderr" >err
			assert_equal "$(reported err)" "$(cat bad)"
		done
	done
}

@test "records: corrupted input through the whole pipeline: every stage exits 0 or 3" {
	python3 "$REF" corrupt bad 6 0.2 "$D/raw.ndjson" >raw
	run -0 sh -c '
	    { hf-arch raw; echo $? >arch.rc; } 2>/dev/null |
	    { hf-filter-quant --keep-loadable; echo $? >quant.rc; } 2>/dev/null |
	    { hf-classify; echo $? >classify.rc; } 2>/dev/null | wc -l'
	[ "$output" -gt 1000 ]
	assert_equal "$(cat arch.rc)" 3
	assert_equal "$(cat quant.rc)" 0
	assert_equal "$(cat classify.rc)" 0
}
