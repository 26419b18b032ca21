# shellcheck shell=sh disable=SC2016,SC2034 # jq programs, used by run.sh
# bench/jq.sh: the jq programs equivalent to the stages, for bench/run.sh
# (sourced). Each must give the stage's records (compared by run.sh).

# The jq program equivalent to hf-arch (SPEC 2.2; jq 1.6 cannot tell 1.0
# from 1, a difference the corpus does not exercise).
JQ_ARCH='
def int: if type == "number" and . == floor then . else null end;
def str: if type == "string" then . else null end;
def obj: if type == "object" then . else {} end;
select(type == "object" and (.id | type) == "string")
| (.config | obj) as $c
| (.safetensors | obj) as $s
| {
    id,
    author: ((.author | str) // (.id | split("/")[0])),
    architecture: ($c.architectures
        | if type == "array" and length > 0 then .[0] | str else null end),
    downloads: (.downloads | int),
    likes: (.likes | int),
    last_modified: (.lastModified | str),
    tags: (.tags | if type == "array" then map(select(type == "string"))
        else [] end),
    pipeline_tag: (.pipeline_tag | str),
    gated: (.gated | if type == "boolean" or type == "string" then .
        else null end),
    parameter_count: (($s.total | int)
        // ($s.parameters | if type == "object" and length > 0 and
            all(.[]; type == "number" and . == floor) then add else null end)
        // ($c.num_parameters | int) // ($c.n_params | int)
        // ($c.num_params | int))
  }'

# hf-filter-quant, default policy: drop an id holding any pattern of the
# incompatible or the loadable list (cmd/hf-filter-quant/quant.c), case-sensitive.
JQ_FILTER_QUANT='
["-gguf", "_gguf", "-GGUF", "_GGUF",
 "mlx-community/", "-mlx", "-MLX", "_mlx", "_MLX", ".mlx", ".MLX",
 "-fp8", "_fp8", "-FP8", "_FP8", "-nvfp4", "_nvfp4", "-NVFP4", "_NVFP4",
 "-mxfp4", "_mxfp4", "-MXFP4", "_MXFP4",
 "-awq", "_awq", "-AWQ", "_AWQ", "-gptq", "_gptq", "-GPTQ", "_GPTQ", "GPTQ",
 "-bnb-", "_bnb_", "bnb-4bit", "bnb-8bit", "-4bit", "_4bit", "-8bit", "_8bit",
 "-int4", "_int4", "-int8", "_int8",
 "-w4a16", "-w8a8", "-W4A16", "-W8A8", ".w4a16", ".W4A16",
 "-hqq", "_hqq", "-HQQ", "_HQQ",
 "-3bit", "_3bit", "-2bit", "_2bit", "-5bit", "-6bit", "-oQ", "_oQ",
 "-quantized.", "_Quantized", "-Quantized"] as $pats
| select(type == "object" and (.id | type) == "string")
| .id as $id
| select(all($pats[]; . as $p | $id | contains($p) | not))'

# hf-classify: supported (the architecture is in the registry) and
# canonical (the author, else the id's org, is one of its canonical orgs).
JQ_CLASSIFY='
($reg[0].supported_architectures | map({(.): true}) | add) as $sup
| $reg[0].canonical_authors_by_arch as $can
| select(type == "object" and (.id | type) == "string")
| (.architecture | if type == "string" then . else null end) as $a
| ((.author | if type == "string" then . else null end)
    // (.id | split("/")[0])) as $o
| del(.supported, .canonical)
| . + {supported: ($a != null and ($sup[$a] // false)),
       canonical: ($a != null and (($can[$a] // []) | index([$o]) != null))}'
