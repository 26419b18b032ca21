#!/usr/bin/env python3
"""fakehub: the project's fake Hugging Face Hub (GET /api/models only).

Serves a corpus of Hub model items with the Hub's query parameters, Link
cursor pagination, expand field selection, RateLimit headers, bearer auth
and injectable faults, and logs every request as one JSON line.
Python 3 standard library only. See tests/fakehub/README.md.
"""
import argparse
import base64
import bisect
import datetime
import gzip
import itertools
import json
import math
import os
import random
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
REGISTRY = os.path.join(HERE, "..", "..", "data", "registry.json")

SORTS = ("downloads", "likes", "createdAt", "lastModified", "trendingScore")
# Sort used when the request has none (the Hub's website default, "Trending").
DEFAULT_SORT = "trendingScore"
# The fields of an item without expand (the Hub's default listing shape).
DEFAULT_FIELDS = ("_id", "id", "likes", "trendingScore", "private", "downloads",
                  "tags", "pipeline_tag", "library_name", "createdAt", "modelId")
# What ?full=true adds to the default shape (legacy parameter).
FULL_FIELDS = ("author", "sha", "lastModified", "gated", "disabled", "siblings")
# Fields the Hub accepts in expand / expand[] for models (huggingface_hub
# ExpandModelProperty_T and @huggingface/hub MODEL_EXPANDABLE_KEYS).
EXPANDABLE = frozenset((
    "author", "baseModels", "cardData", "childrenModelCount", "config",
    "createdAt", "disabled", "downloads", "downloadsAllTime", "gated", "gguf",
    "gitalyUid", "inference", "inferenceProviderMapping", "lastModified",
    "library_name", "likes", "mask_token", "model-index", "pipeline_tag",
    "private", "resourceGroup", "safetensors", "sha", "siblings", "spaces",
    "tags", "transformersInfo", "trendingScore", "usedStorage", "widgetData",
    "xetEnabled"))
KNOWN_PARAMS = frozenset(("search", "author", "filter", "pipeline_tag", "gated",
                          "num_parameters", "sort", "direction", "limit",
                          "expand", "expand[]", "cursor", "full", "config"))
MAX_LIMIT = 1000
DEFAULT_LIMIT = 1000

MSG_404 = "Sorry, we can't find the page you are looking for."
MSG_BAD_TOKEN = "Invalid credentials in Authorization header"
MSG_NO_TOKEN = "Invalid username or password."


def msg_429(anonymous, quota, window):
    """The Hub's 429 text (anonymous: per IP; with a token: the quota)."""
    if anonymous:
        return ("We had to rate limit your IP (127.0.0.1). To continue using our "
                "service, create a HF account or login to your existing account, "
                "and make sure you pass a HF_TOKEN if you're using the API.")
    if window >= 60 and window % 60 == 0:
        per = "%d minutes" % (window // 60)
    else:
        per = "%g seconds" % window
    return ("We had to rate limit you, you hit the quota of %d api requests per %s "
            "period. Upgrade to a PRO user or Team/Enterprise organization account "
            "(https://hf.co/pricing) to get higher limits. See "
            "https://huggingface.co/docs/hub/rate-limits" % (quota, per))


HTML_502 = (b"<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n"
            b"<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE>"
            b"</HEAD><BODY><H1>502 ERROR</H1><H2>The request could not be "
            b"satisfied.</H2><HR noshade size=\"1px\">Bad Gateway</BODY></HTML>\n")
HTML_504 = HTML_502.replace(b"502 ERROR", b"504 ERROR").replace(
    b"Bad Gateway", b"Gateway Timeout")
HTML_PROXY = (b"<!DOCTYPE html>\n<html><head><title>Service temporarily "
              b"unavailable</title></head><body><h1>We'll be right back</h1>"
              b"<p>The proxy could not reach the upstream server.</p></body></html>\n")


# --------------------------------------------------------------------------
# Synthetic corpus
# --------------------------------------------------------------------------

SUPPORTED_WEIGHTS = {
    "LlamaForCausalLM": 30, "Qwen2ForCausalLM": 25, "MistralForCausalLM": 8,
    "Qwen3ForCausalLM": 7, "GPT2LMHeadModel": 6, "Gemma2ForCausalLM": 3,
    "Phi3ForCausalLM": 3, "Gemma3ForCausalLM": 2, "GPTNeoXForCausalLM": 2,
    "T5ForConditionalGeneration": 2, "Gemma3ForConditionalGeneration": 2,
    "MixtralForCausalLM": 1.5, "OPTForCausalLM": 1, "BloomForCausalLM": 1,
    "BartForConditionalGeneration": 1, "BertForMaskedLM": 1,
}
UNSUPPORTED = [
    "Speech2TextForConditionalGeneration", "RwkvForCausalLM", "JambaForCausalLM",
    "Qwen2VLForConditionalGeneration", "Qwen2_5_VLForConditionalGeneration",
    "MllamaForConditionalGeneration", "InternVLChatModel", "MiniCPMForCausalLM",
    "ChatGLMModel", "ChatGLMForConditionalGeneration", "XGLMForCausalLM",
    "CodeLlamaForCausalLM", "ExaoneForCausalLM", "Exaone4ForCausalLM",
    "StableLmForCausalLM", "DbrxForCausalLM", "ArcticForCausalLM",
    "MiniMaxM1ForCausalLM", "Ernie4_5_ForCausalLM", "Ernie4_5_MoeForCausalLM",
    "SeedOssForCausalLM", "BitNetForCausalLM", "Zamba2ForCausalLM",
    "FalconH1ForCausalLM", "FalconMambaForCausalLM", "RecurrentGemmaForCausalLM",
    "PersimmonForCausalLM", "FuyuForCausalLM", "IdeficsForVisionText2Text",
    "Idefics3ForConditionalGeneration", "PaliGemmaForConditionalGeneration",
    "WhisperForConditionalGeneration", "Wav2Vec2ForCTC", "ElectraForPreTraining",
    "DebertaV2ForSequenceClassification", "RobertaForMaskedLM",
    "XLMRobertaForMaskedLM", "MPNetForMaskedLM", "MarianMTModel",
    "M2M100ForConditionalGeneration", "PegasusForConditionalGeneration",
    "LongT5ForConditionalGeneration", "BlenderbotForConditionalGeneration",
    "DeciLMForCausalLM", "Cohere2ForCausalLM", "Starcoder2ForCausalLM",
]
FAMILY = {
    "LlamaForCausalLM": "Llama-3", "Qwen2ForCausalLM": "Qwen2.5",
    "MistralForCausalLM": "Mistral", "Qwen3ForCausalLM": "Qwen3",
    "GPT2LMHeadModel": "gpt2", "Gemma2ForCausalLM": "gemma-2",
    "Phi3ForCausalLM": "Phi-3", "T5ForConditionalGeneration": "t5",
    "MixtralForCausalLM": "Mixtral", "OPTForCausalLM": "opt",
    "BloomForCausalLM": "bloom", "GPTNeoXForCausalLM": "pythia",
}
QUANTS = [  # (suffix, tags, quantization_config or None, weight)
    ("-GGUF", ["gguf"], None, 6), ("-gguf", ["gguf"], None, 1),
    ("-AWQ", ["awq", "4-bit"], {"quant_method": "awq", "bits": 4}, 2),
    ("-GPTQ", ["gptq", "4-bit"], {"quant_method": "gptq", "bits": 4}, 2),
    ("-bnb-4bit", ["bitsandbytes", "4-bit"],
     {"quant_method": "bitsandbytes", "load_in_4bit": True}, 3),
    ("-4bit", ["4-bit"], None, 2), ("-8bit", ["8-bit"], None, 1),
    ("-int8", ["8-bit"], {"quant_method": "bitsandbytes", "load_in_8bit": True}, 1),
    ("-w4a16", ["compressed-tensors"], {"quant_method": "compressed-tensors"}, 1),
    ("-FP8", ["fp8"], {"quant_method": "fp8"}, 1),
    ("-NVFP4", ["modelopt"], {"quant_method": "modelopt"}, 0.5),
    ("-mlx", ["mlx"], None, 2), ("-MLX", ["mlx"], None, 0.5),
    ("-mlx_4bit", ["mlx", "4-bit"], None, 0.5),
    ("-hqq-4bit", ["hqq"], {"quant_method": "hqq"}, 0.5),
    ("-exl2", ["exl2"], None, 0.5),
]
QUANT_ORGS = ["TheBloke", "unsloth", "mlx-community", "bartowski", "RedHatAI",
              "neuralmagic", "casperhansen", "mobiuslabsgmbh", "lmstudio-community",
              "QuantFactory", "mradermacher"]
SIZES = [("70M", 7e7), ("125M", 1.25e8), ("160M", 1.6e8), ("0.5B", 5e8),
         ("1B", 1e9), ("1.5B", 1.5e9), ("3B", 3e9), ("7B", 7e9), ("8B", 8e9),
         ("13B", 1.3e10), ("14B", 1.4e10), ("32B", 3.2e10), ("70B", 7e10),
         ("72B", 7.2e10), ("405B", 4.05e11)]
WORDS = ["instruct", "chat", "base", "it", "coder", "math", "sft", "dpo", "v2",
         "v0.1", "merged", "lora", "tiny", "uncensored", "reasoning", "distill",
         "preview", "ja", "de", "roleplay", "orpo", "grpo", "longctx"]
USER_A = ["happy", "quiet", "deep", "neural", "tiny", "open", "red", "blue",
          "swift", "lazy", "bright", "dark", "mega", "micro", "auto", "hyper"]
USER_B = ["llama", "panda", "coder", "lab", "ai", "fox", "owl", "otter", "bytes",
          "tensor", "forge", "works", "studio", "ml", "gpt", "mind"]
LICENSES = ["apache-2.0", "mit", "llama3.1", "llama3", "other", "cc-by-nc-4.0",
            "gemma", "openrail"]
LANGS = ["en", "zh", "fr", "de", "ja", "ko", "es", "multilingual"]
ODD_TAGS = ["français", "région:île-de-France", "🤗", "emoji:🦙", "ünïcödé",
            "日本語", "dataset:café-corpus", "🔥-hot"]
SMALL_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] "
                  "+ '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}")
AWKWARD = ["no_config", "empty_config", "arch_empty", "arch_null", "arch_nonstring",
           "arch_second", "arch_escape", "decoy_arch", "decoy_arch_only",
           "params_only", "decoy_total", "num_parameters", "n_params",
           "num_params", "big_counts", "odd_downloads", "odd_tags",
           "no_safetensors"]
AWKWARD_W = [6, 5, 4, 4, 3, 5, 5, 5, 2, 5, 5, 3, 2, 2, 4, 1, 5, 6]


def model_type_of(arch):
    for sep in ("For", "LMHead", "Model"):
        i = arch.find(sep)
        if i > 0:
            return arch[:i].lower()
    return arch.lower()


def pipeline_of(arch):
    if arch.startswith(("T5", "MT5", "Bart", "LongT5", "Pegasus", "Marian",
                        "M2M100", "Blenderbot")):
        return "text2text-generation"
    if "MaskedLM" in arch or "PreTraining" in arch:
        return "fill-mask"
    if arch.startswith(("Speech2Text", "Whisper", "Wav2Vec2", "Hubert")):
        return "automatic-speech-recognition"
    if "SequenceClassification" in arch:
        return "text-classification"
    if "Vision" in arch or "VL" in arch or arch.startswith(
            ("Llava", "Mllama", "Idefics", "PaliGemma", "Fuyu", "InternVL",
             "Gemma3ForConditional", "Gemma3n", "Gemma4")):
        return "image-text-to-text"
    return "text-generation"


def iso(ts, ms):
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        d.year, d.month, d.day, d.hour, d.minute, d.second, ms)


def big_template():
    """A ~1.2 MB chat template with quotes, newlines, tabs, U+2028 and é."""
    chunk = ("{%- if message['role'] == \"system\" -%}\n\t{{ '<|system|>\\n' + "
             "message['content'] + eos_token }}\u2028café ☕ \"quoted\"\n{%- endif -%}\n")
    return chunk * (1_200_000 // len(chunk.encode("utf-8")) + 1)


def huge_items(specs):
    """--huge-item BYTES[:N]: N models (default 1) whose config carries a
    chat template of BYTES bytes (UTF-8), at the top of the downloads order."""
    chunk = ("{%- for message in messages -%}\n\t{{ '<|im_start|>' + "
             "message['role'] + '\\n' }}\u2028caf\u00e9 \"q\"\n{%- endfor -%}\n")
    unit = chunk.encode("utf-8")
    items, k = [], 0
    for spec in specs:
        size, count = spec
        text = (unit * (size // len(unit) + 1))[:size].decode("utf-8", "ignore")
        for _ in range(count):
            k += 1
            items.append({
                "_id": "%024x" % (0xffff00000000 + k),
                "id": "huge-org/Huge-%d-%d" % (size, k), "author": "huge-org",
                "downloads": 10_000_000_000 - k, "likes": 1, "trendingScore": 0,
                "lastModified": "2026-01-02T03:04:05.000Z",
                "createdAt": "2025-01-02T03:04:05.000Z", "private": False,
                "gated": False, "library_name": "transformers",
                "pipeline_tag": "text-generation",
                "tags": ["transformers", "safetensors", "llama", "text-generation"],
                "sha": "%040x" % k,
                "config": {"architectures": ["LlamaForCausalLM"],
                           "model_type": "llama",
                           "tokenizer_config": {"chat_template": text}},
                "safetensors": {"parameters": {"BF16": 1_000_000}, "total": 1_000_000},
            })
    return items


def synthesize(n, seed, want_lines=True):
    """Return (items, raw_lines): a deterministic corpus of n model items."""
    with open(REGISTRY, encoding="utf-8") as f:
        reg = json.load(f)
    supported = list(reg["supported_architectures"])
    canon = reg.get("canonical_authors_by_arch", {})
    rng = random.Random("fakehub:%d:%d" % (n, seed))
    sup_w = [SUPPORTED_WEIGHTS.get(a, 0.25) for a in supported]
    uns_w = [1.0 / (i + 1) ** 1.1 for i in range(len(UNSUPPORTED))]
    cum = itertools.accumulate
    sup_c = list(cum(sup_w))
    uns_c = list(cum(uns_w))
    q_c = list(cum(q[3] for q in QUANTS))
    awk_c = list(cum(AWKWARD_W))
    users = ["%s-%s%s" % (rng.choice(USER_A), rng.choice(USER_B),
                          rng.choice(["", str(rng.randrange(1, 999))]))
             for _ in range(max(20, n // 6))]
    canon_orgs = sorted({o for v in canon.values() for o in v})
    huge = set()
    if n >= 1000:
        k = max(1, n // 5000)
        huge = set(rng.sample(range(n), k))
    template = big_template() if huge else ""
    # every awkward case at least once in a corpus of 200 or more
    forced = dict(zip(rng.sample(range(n), len(AWKWARD)), AWKWARD)) if n >= 200 else {}
    t_lo = 1609459200  # 2021-01-01
    t_hi = 1790812800  # 2026-10-01
    items, lines = [], []
    seen_ids, seen_oids = set(), set()
    for i in range(n):
        u = rng.random()
        if u < 0.60:
            arch = rng.choices(supported, cum_weights=sup_c)[0]
            kind = "supported"
        elif u < 0.85:
            arch = rng.choices(UNSUPPORTED, cum_weights=uns_c)[0]
            kind = "unsupported"
        else:
            if rng.random() < 0.6 / 0.85:
                arch = rng.choices(supported, cum_weights=sup_c)[0]
            else:
                arch = rng.choices(UNSUPPORTED, cum_weights=uns_c)[0]
            kind = "awkward"
        awk = rng.choices(AWKWARD, cum_weights=awk_c)[0] if kind == "awkward" else None
        if i in forced:
            kind, awk = "awkward", forced[i]
        # author
        quant = None
        if rng.random() < 0.10:
            quant = rng.choices(QUANTS, cum_weights=q_c)[0]
        if kind != "unsupported" and arch in canon and rng.random() < 0.10:
            author = rng.choice(canon[arch])
        elif kind == "unsupported" and rng.random() < 0.03:
            author = rng.choice(canon_orgs)
        elif quant and rng.random() < 0.5:
            author = "mlx-community" if "mlx" in quant[1] else rng.choice(QUANT_ORGS)
        else:
            author = rng.choice(users)
        size_name, size = rng.choice(SIZES)
        fam = FAMILY.get(arch) or model_type_of(arch).capitalize()
        name = "%s-%s" % (fam, size_name)
        for _ in range(rng.choice([0, 1, 1, 2])):
            name += "-" + rng.choice(WORDS)
        if quant:
            name += quant[0]
        mid = "%s/%s" % (author, name)
        if mid in seen_ids:
            mid = "%s-%d" % (mid, i)
        seen_ids.add(mid)
        oid = "%024x" % rng.getrandbits(96)
        while oid in seen_oids:
            oid = "%024x" % rng.getrandbits(96)
        seen_oids.add(oid)
        # downloads: heavy tail, many ties (0, 1, 2, ...), runs of 500/499
        r = rng.random()
        if r < 0.01:
            downloads = 500
        elif r < 0.015:
            downloads = 499
        elif r < 0.02:
            downloads = 1000
        else:
            downloads = min(int(rng.paretovariate(0.6)) - 1, 9_000_000_000)
        likes = int(math.sqrt(downloads) * rng.random() * 0.5)
        trending = int(rng.paretovariate(1.5)) - 1 if rng.random() < 0.3 else 0
        created = rng.randrange(t_lo, t_hi)
        modified = min(t_hi, created + int(rng.expovariate(1 / 3e7)))
        ms_c = rng.randrange(1, 1000) if rng.random() < 0.1 else 0
        ms_m = rng.randrange(1, 1000) if rng.random() < 0.1 else 0
        g = rng.random()
        gated = "auto" if g < 0.05 else ("manual" if g < 0.08 else False)
        pipe = pipeline_of(arch)
        mtype = model_type_of(arch)
        tags = ["transformers", "safetensors", mtype, pipe]
        if pipe == "text2text-generation" and rng.random() < 0.3:
            tags.append("text-generation")
        if pipe == "text-generation" and rng.random() < 0.4:
            tags.append("conversational")
        if quant:
            tags.extend(quant[1])
        tags += ["license:" + rng.choice(LICENSES), rng.choice(LANGS)]
        if pipe == "text-generation" and rng.random() < 0.5:
            tags.append("text-generation-inference")
        tags += ["endpoints_compatible", "region:us"]
        tok = {"bos_token": "<s>", "eos_token": "</s>"}
        if rng.random() < 0.5:
            tok["chat_template"] = SMALL_TEMPLATE
        if i in huge:
            tok["chat_template"] = template
        config = {"architectures": [arch], "model_type": mtype,
                  "tokenizer_config": tok}
        if quant and quant[2]:
            config["quantization_config"] = dict(quant[2])
        params = int(size)
        safetensors = {"parameters": {"BF16": params}, "total": params}
        if quant and quant[1][0] == "gguf":
            safetensors = None
            tags[1] = "gguf"
        item = {
            "_id": oid, "id": mid, "author": author, "downloads": downloads,
            "likes": likes, "trendingScore": trending,
            "lastModified": iso(modified, ms_m), "createdAt": iso(created, ms_c),
            "private": False, "gated": gated,
            "library_name": "mlx" if author == "mlx-community" else "transformers",
            "pipeline_tag": pipe, "tags": tags,
            "sha": "%040x" % rng.getrandbits(160),
            "config": config,
        }
        if safetensors is not None:
            item["safetensors"] = safetensors
        text_hook = None
        if awk == "no_config":
            del item["config"]
        elif awk == "empty_config":
            item["config"] = {}
        elif awk == "arch_empty":
            config["architectures"] = []
        elif awk == "arch_null":
            config["architectures"] = None
        elif awk == "arch_nonstring":
            config["architectures"] = [42, "LlamaForCausalLM"]
        elif awk == "arch_second":
            config["architectures"] = [arch, rng.choice(
                ["LlamaForSequenceClassification", "MistralModel", "Qwen2Model"])]
        elif awk == "arch_escape":
            text_hook = "escape"
        elif awk in ("decoy_arch", "decoy_arch_only"):
            # a nested "architectures" key comes first in the text
            tok2 = dict(tok)
            tok2["architectures"] = ["DecoyForCausalLM"]
            item["config"] = {"model_type": mtype, "tokenizer_config": tok2}
            if awk == "decoy_arch":
                item["config"]["architectures"] = [arch]
        elif awk == "params_only":
            item["safetensors"] = {"parameters": {"BF16": params, "F32": 1024}}
        elif awk == "decoy_total":
            item["safetensors"] = {"parameters": {"total": 12345, "BF16": params}}
            if rng.random() < 0.7:
                item["safetensors"]["total"] = params
        elif awk in ("num_parameters", "n_params", "num_params"):
            item.pop("safetensors", None)
            config[awk] = params
        elif awk == "big_counts":
            item["downloads"] = rng.choice([2_147_483_648, 3_000_000_123,
                                            4_294_967_296 + 7, 12_345_678_901])
            big = rng.choice([671_026_419_200, 685_000_000_000, 1_000_000_000_000,
                              4_294_967_297])
            item["safetensors"] = {"parameters": {"BF16": big}, "total": big}
        elif awk == "odd_downloads":
            item["downloads"] = rng.choice([1.5, "12", 0.25, "7"])
        elif awk == "odd_tags":
            item["tags"] = tags + rng.sample(ODD_TAGS, 2)
            text_hook = "ascii"
        elif awk == "no_safetensors":
            item.pop("safetensors", None)
        items.append(item)
        if not want_lines:
            continue
        line = json.dumps(item, ensure_ascii=(text_hook == "ascii"),
                          separators=(",", ":"))
        if text_hook == "escape":
            a = json.dumps(arch)
            k = a.find("For")
            if k > 0:
                esc = a[:k] + "\\u0046" + a[k + 1:]
            else:
                esc = '"\\u%04x' % ord(arch[0]) + a[2:]
            line = line.replace('"architectures":[' + a,
                                '"architectures":[' + esc, 1)
        lines.append(line)
    return items, lines


# --------------------------------------------------------------------------
# The Hub
# --------------------------------------------------------------------------

def iso_key(v):
    if not isinstance(v, str):
        return 0
    try:
        d = datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
        return int(d.timestamp() * 1000)
    except ValueError:
        return 0


def num_key(v):
    if isinstance(v, bool):
        return 0
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
            return int(f) if f.is_integer() else f
        except ValueError:
            return 0
    return 0


def sort_value(item, sort):
    v = item.get(sort)
    if sort in ("createdAt", "lastModified"):
        return iso_key(v)
    return num_key(v)


def parse_count(s):
    s = s.strip()
    mult = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    m = 1
    if s and s[-1].upper() in mult:
        m = mult[s[-1].upper()]
        s = s[:-1]
    return float(s) * m


class BadRequest(Exception):
    pass


class Hub:
    def __init__(self, items, args):
        self.items = items
        self.args = args
        self.lock = threading.Lock()
        self.log_lock = threading.Lock()
        self.orders = {}
        self.author_orders = {}  # (author, sort): that author's part of an order
        self.cache = {}
        self.seq = 0
        self.win_end = 0.0
        self.win_count = 0
        self.fault_rng = random.Random("fault:%d" % args.fault_seed)
        self.churn_rng = random.Random("churn:%d" % args.seed)
        self.storm_left = 0
        self.trickle_left = args.trickle
        # faulted answers in a row for each page (query string): with
        # clients listing side by side, "in a row" must hold per page
        self.page_run = {}
        self.logf = open(args.log, "a", encoding="utf-8") if args.log else None
        self.index()

    # ---- sorting and keyset -------------------------------------------
    def obj(self, idx):
        """The item as a dict (corpus items are kept as their JSON text)."""
        it = self.items[idx]
        return json.loads(it) if isinstance(it, bytes) else it

    def index(self):
        """Extract the fields that sorting and filtering need."""
        n = len(self.items)
        self.sv = {s: [0] * n for s in SORTS}
        self.oid = [""] * n
        self.mid = [""] * n
        self.tags = [None] * n
        self.pipe = [None] * n
        self.gated = [False] * n
        self.ptotal = [None] * n
        intern = sys.intern
        for i in range(n):
            try:
                it = self.obj(i)
            except ValueError as e:
                sys.exit("fakehub: corpus record %d: %s" % (i + 1, e))
            if not isinstance(it, dict):
                sys.exit("fakehub: corpus record %d: not a JSON object" % (i + 1))
            for s in SORTS:
                self.sv[s][i] = sort_value(it, s)
            self.oid[i] = str(it.get("_id"))
            v = it.get("id")
            self.mid[i] = v if isinstance(v, str) else ""
            v = it.get("tags")
            if isinstance(v, list):
                self.tags[i] = frozenset(intern(t) for t in v if isinstance(t, str))
            v = it.get("pipeline_tag")
            self.pipe[i] = intern(v) if isinstance(v, str) else None
            self.gated[i] = it.get("gated") not in (None, False, "false")
            st = it.get("safetensors")
            tot = st.get("total") if isinstance(st, dict) else None
            if isinstance(tot, (int, float)) and not isinstance(tot, bool):
                self.ptotal[i] = tot

    def order(self, sort):
        o = self.orders.get(sort)
        if o is None:
            sv, oid = self.sv[sort], self.oid
            o = sorted((-sv[i], oid[i], i) for i in range(len(self.items)))
            self.orders[sort] = o
        return o

    def set_downloads(self, idx, value):
        o = self.orders.get("downloads")
        sv = self.sv["downloads"]
        if o is not None:
            old = (-sv[idx], self.oid[idx], idx)
            j = bisect.bisect_left(o, old)
            if j < len(o) and o[j] == old:
                del o[j]
        it = self.obj(idx)
        it["downloads"] = value
        if isinstance(self.items[idx], bytes):
            self.items[idx] = json.dumps(it, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8")
        sv[idx] = sort_value(it, "downloads")
        if o is not None:
            bisect.insort(o, (-sv[idx], self.oid[idx], idx))
        self.author_orders.clear()
        for c in self.cache.values():
            c[idx] = None

    # ---- serialisation --------------------------------------------------
    def serialise(self, idx, fields):
        c = self.cache.get(fields)
        if c is None:
            c = self.cache[fields] = [None] * len(self.items)
        b = c[idx]
        if b is None:
            it = self.obj(idx)
            if fields[0] == "default":
                out = {}
                for k in fields[1:]:
                    if k == "modelId":
                        if "modelId" in it or "id" in it:
                            out[k] = it.get("modelId", it.get("id"))
                    elif k in it:
                        out[k] = it[k]
            else:
                want = set(fields[1:])
                out = {}
                for k in ("_id", "id"):
                    if k in it:
                        out[k] = it[k]
                for k, v in it.items():
                    if k in want and k not in out:
                        out[k] = v
            b = json.dumps(out, ensure_ascii=self.args.ensure_ascii,
                           separators=(",", ":")).encode("utf-8")
            c[idx] = b
        return b

    # ---- rate limit -----------------------------------------------------
    def ratelimit(self, count_it):
        """Count one request; return (allowed, left, reset_seconds).

        A fixed window of --window seconds opens with the first request
        after the previous window ended."""
        now = time.monotonic()
        if now >= self.win_end:
            self.win_end = now + self.args.window
            self.win_count = 0
        t = max(1, math.ceil(self.win_end - now))
        q = self.args.quota
        if self.win_count >= q:
            return False, 0, t
        if count_it:
            self.win_count += 1
        return True, q - self.win_count, t

    # ---- request parsing ------------------------------------------------
    def parse_query(self, raw):
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
        p = {"filter": [], "expand": [], "ignored": []}
        for k, v in pairs:
            if k in ("filter", "expand", "expand[]"):
                p["expand" if k.startswith("expand") else k].append(v)
            elif k in KNOWN_PARAMS:
                p[k] = v
            elif k not in p["ignored"]:
                p["ignored"].append(k)
        sort = p.get("sort")
        if sort is None or sort == "":
            sort = None
        elif sort not in SORTS:
            raise BadRequest("\u2716 Invalid sort parameter: %s" % sort)
        d = p.get("direction")
        if d is not None and d != "-1":
            raise BadRequest("\u2716 Invalid direction parameter: %s "
                             "(only -1, descending, is supported)" % d)
        lim = p.get("limit")
        if lim is None or lim == "":
            limit = DEFAULT_LIMIT
        else:
            try:
                limit = int(lim)
            except ValueError:
                raise BadRequest("\u2716 Invalid input: expected number, received "
                                 "NaN\n  \u2192 at limit")
            if limit < 1:
                raise BadRequest("\u2716 Too small: expected number to be >=1\n"
                                 "  \u2192 at limit")
            limit = min(limit, MAX_LIMIT)
        expand = []
        for e in p["expand"]:
            for f in e.split(","):
                if f == "":
                    continue
                if f not in EXPANDABLE:
                    raise BadRequest("\u2716 Invalid expand parameter: %s" % f)
                if f not in expand:
                    expand.append(f)
        if expand and (p.get("full") or p.get("config")):
            raise BadRequest("\u2716 expand cannot be combined with full or config")
        gated = p.get("gated")
        if gated is not None:
            if gated.lower() not in ("true", "false"):
                raise BadRequest("\u2716 Invalid gated parameter: %s" % gated)
            gated = gated.lower() == "true"
        nump = p.get("num_parameters")
        pmin = pmax = None
        if nump:
            try:
                for part in nump.split(","):
                    k, _, v = part.partition(":")
                    if k.strip() == "min":
                        pmin = parse_count(v)
                    elif k.strip() == "max":
                        pmax = parse_count(v)
                    else:
                        raise ValueError(part)
            except ValueError:
                raise BadRequest("\u2716 Invalid num_parameters parameter: %s" % nump)
        cursor = None
        if p.get("cursor"):
            try:
                c = json.loads(base64.b64decode(p["cursor"], validate=True))
                cursor = (c["s"], c["v"], str(c["i"]))
            except Exception:
                raise BadRequest("\u2716 Invalid cursor")
            if cursor[0] != (sort or DEFAULT_SORT):
                raise BadRequest("\u2716 Invalid cursor: it belongs to another sort")
        if expand:
            fields = ["expanded"] + expand
            if sort and sort not in expand:
                fields.append(sort)
        else:
            fields = ["default"] + list(DEFAULT_FIELDS)
            if (p.get("full") or "").lower() in ("true", "1"):
                fields += [f for f in FULL_FIELDS if f not in fields]
            if (p.get("config") or "").lower() in ("true", "1"):
                fields.append("config")
        return {
            "sort": sort or DEFAULT_SORT, "limit": limit, "fields": tuple(fields),
            "search": (p.get("search") or "").lower() or None,
            "author": p.get("author") or None, "filter": p["filter"],
            "pipeline_tag": p.get("pipeline_tag") or None, "gated": gated,
            "pmin": pmin, "pmax": pmax, "cursor": cursor, "ignored": p["ignored"],
        }

    def matches(self, i, q):
        if q["search"] is not None and q["search"] not in self.mid[i].lower():
            return False
        if q["author"] is not None and self.mid[i].split("/", 1)[0] != q["author"]:
            return False
        if q["filter"]:
            tags = self.tags[i]
            if tags is None:
                return False
            for f in q["filter"]:
                if f not in tags:
                    return False
        if q["pipeline_tag"] is not None and self.pipe[i] != q["pipeline_tag"]:
            return False
        if q["gated"] is not None and self.gated[i] != q["gated"]:
            return False
        if q["pmin"] is not None or q["pmax"] is not None:
            tot = self.ptotal[i]
            if tot is None:
                return False
            if q["pmin"] is not None and tot < q["pmin"]:
                return False
            if q["pmax"] is not None and tot > q["pmax"]:
                return False
        return True

    def author_order(self, author, sort):
        """One author's models in the order of sort: an org's pages cost
        that org's size, not the corpus's, as on the Hub."""
        key = (author, sort)
        if (None, sort) not in self.author_orders:
            self.author_orders[(None, sort)] = []
            for e in self.order(sort):
                a = self.mid[e[2]].split("/", 1)[0]
                self.author_orders.setdefault((a, sort), []).append(e)
        return self.author_orders.get(key, [])

    def page(self, q):
        """Under the lock: the page's item indices and the next cursor."""
        o = self.order(q["sort"])
        if q["author"] is not None:
            o = self.author_order(q["author"], q["sort"])
        if q["cursor"]:
            _, v, cid = q["cursor"]
            start = bisect.bisect_right(o, (-v, cid, float("inf")))
        else:
            start = 0
        plain = not (q["search"] or q["author"] or q["filter"] or q["pipeline_tag"]
                     or q["gated"] is not None or q["pmin"] is not None
                     or q["pmax"] is not None)
        lim = q["limit"]
        if plain:
            got = [e for e in o[start:start + lim + 1]]
        else:
            got = []
            for j in range(start, len(o)):
                e = o[j]
                if self.matches(e[2], q):
                    got.append(e)
                    if len(got) > lim:
                        break
        more = len(got) > lim
        got = got[:lim]
        nxt = None
        if more and got:
            last = got[-1]
            v = -last[0]
            c = json.dumps({"s": q["sort"], "v": v, "i": last[1]},
                           separators=(",", ":"))
            nxt = base64.b64encode(c.encode()).decode()
        return [e[2] for e in got], nxt

    def churn(self, idxs):
        k = self.args.churn
        if k <= 0 or not idxs:
            return
        dl = self.sv["downloads"]
        last = dl[idxs[-1]]
        floor = int(last) if last >= 1 else 0
        for idx in self.churn_rng.sample(idxs, min(k, len(idxs))):
            cur = dl[idx]
            if floor <= 0 or cur <= 0:
                continue
            self.set_downloads(idx, self.churn_rng.randrange(0, min(floor, int(cur))))

    # ---- faults --------------------------------------------------------
    def draw_fault(self):
        a = self.args
        kinds = (("429", a.fault_429), ("5xx", a.fault_5xx),
                 ("truncate", a.fault_truncate), ("nonjson", a.fault_nonjson),
                 ("drop", a.fault_drop), ("stall", a.fault_stall))
        if not any(p for _, p in kinds):
            return None
        r = self.fault_rng.random()
        fault = None
        acc = 0.0
        for name, p in kinds:
            acc += p
            if r < acc:
                fault = name
                break
        return fault	# capped per page by page_spent

    def page_spent(self, raw):
        """Whether this page had --fault-max-run faults in a row (storms
        count only when random faults are on too, so that a storm alone
        can still outlast a client's retries)."""
        return self.page_run.get(raw, 0) >= self.args.fault_max_run

    def page_faulted(self, raw, faulted):
        a = self.args
        random_on = any((a.fault_429, a.fault_5xx, a.fault_truncate,
                         a.fault_nonjson, a.fault_drop, a.fault_stall))
        if faulted and random_on:
            self.page_run[raw] = self.page_run.get(raw, 0) + 1
        else:
            self.page_run.pop(raw, None)

    def log(self, rec):
        if not self.logf:
            return
        line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self.log_lock:
            self.logf.write(line)
            self.logf.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # replies go out at once: with Nagle on, a client on a kept-alive
    # connection waits ~40 ms for each page (delayed ACK)
    disable_nagle_algorithm = True
    server_version = "fakehub/1"
    sys_version = ""

    def log_message(self, fmt, *a):  # quiet
        pass

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self.serve("GET")

    def do_HEAD(self):
        self.serve("HEAD")

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        self.serve("POST")

    do_PUT = do_DELETE = do_PATCH = do_POST

    # -------------------------------------------------------------------
    def send(self, status, body, ctype, rl, extra=()):
        hub = self.server.hub
        coding = hub.args.coding if status == 200 else None
        gz = (not hub.args.no_gzip and status == 200 and len(body) > 256
              and "gzip" in (self.headers.get("Accept-Encoding") or "").lower()
              and coding is None)
        if gz:
            body = gzip.compress(body, compresslevel=1, mtime=0)
        if coding == "gzip-corrupt":    # a gzip header, then not deflate
            body = gzip.compress(body, compresslevel=1, mtime=0)
            body = body[:10] + b"\xff" * 8 + body[-8:]
            coding = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if gz or coding:
            self.send_header("Content-Encoding", coding or "gzip")
        self.send_header("Vary", "Accept-Encoding")
        left, t = rl
        self.send_header("RateLimit", '"api";r=%d;t=%d' % (left, t))
        self.send_header("RateLimit-Policy", '"fixed window";"api";q=%d;w=%s' % (
            hub.args.quota, ("%g" % hub.args.window)))
        self.send_header("X-Request-Id", "Root=1-fakehub-%08d" % self.n)
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        return body

    def send_json(self, status, obj, rl, extra=()):
        body = json.dumps(obj, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        body = self.send(status, body, "application/json; charset=utf-8", rl, extra)
        if self.command != "HEAD":
            self.wfile.write(body)

    def serve(self, method):
        hub = self.server.hub
        a = hub.args
        url = urllib.parse.urlsplit(self.path)
        path, raw = url.path, url.query
        auth_hdr = self.headers.get("Authorization")
        if auth_hdr is None:
            auth = "none"
        elif a.token is None:
            auth = "present"
        else:
            tok = auth_hdr[7:].strip() if auth_hdr[:7].lower() == "bearer " else None
            auth = "valid" if tok == a.token else "invalid"
        rec = {"n": 0, "method": method, "path": path, "query": raw, "auth": auth,
               "status": 0, "fault": None, "items": 0, "cursor": None,
               "ignored": []}
        cur = urllib.parse.parse_qs(raw).get("cursor")
        if cur:
            rec["cursor"] = cur[0]
        retry_after = [("Retry-After", str(a.retry_after))] if a.retry_after else []
        delay = 0.0
        body = None
        self.link = None
        with hub.lock:
            hub.seq += 1
            self.n = rec["n"] = hub.seq
            is_models = path in ("/api/models", "/api/models/") and method in ("GET", "HEAD")
            allowed, left, t = hub.ratelimit(True)
            rl = (left, t)
            status = None
            if not allowed:
                status, rec["fault"] = 429, "ratelimit"
            elif auth == "invalid" or (auth == "none" and a.require_token):
                status = 401
            elif not is_models:
                status = 404
            elif a.redirect:
                status, rec["fault"] = 302, "redirect"
            elif a.fail_always:
                status, rec["fault"] = a.fail_always, "always"
            elif hub.storm_left > 0 and not hub.page_spent(raw):
                hub.storm_left -= 1
                status, rec["fault"] = 429, "storm"
                hub.page_faulted(raw, True)
            else:
                fault = hub.draw_fault()
                if fault and hub.page_spent(raw):
                    fault = None
                hub.page_faulted(raw, fault is not None)
                rec["fault"] = fault
                if fault == "429":
                    status = 429
                elif fault == "5xx":
                    status = hub.fault_rng.choice((500, 502, 503, 504))
                if a.latency_spike and hub.fault_rng.random() < a.latency_spike[0]:
                    delay += a.latency_spike[1]
                    if rec["fault"] is None:
                        rec["fault"] = "latency"
                if status is None and fault not in ("drop",):
                    try:
                        q = hub.parse_query(raw)
                    except BadRequest as e:
                        status, body = 400, str(e)
                        if rec["fault"] != "latency":
                            rec["fault"] = None
                    else:
                        rec["ignored"] = q["ignored"]
                        idxs, nxt = hub.page(q)
                        parts = [hub.serialise(i, q["fields"]) for i in idxs]
                        parts = [v.encode("utf-8") for v in a.prepend_item] + parts
                        body = b"[" + b",".join(parts) + b"]"
                        rec["items"] = 0 if fault == "nonjson" else len(idxs)
                        status = 200
                        link = None
                        if nxt and a.link_loop:
                            nxt = None
                            link = "<%s>; rel=\"next\"" % (
                                (a.scheme + "://" + (self.headers.get("Host") or "")
                                 if not a.relative_link else "") + self.path)
                        if nxt:
                            kept = [s for s in raw.split("&") if s and
                                    urllib.parse.unquote_plus(s.split("=", 1)[0]) != "cursor"]
                            kept.append("cursor=" + urllib.parse.quote(nxt, safe=""))
                            base = a.link_base or (a.scheme + "://" + (self.headers.get("Host") or
                                                   "127.0.0.1:%d" % self.server.server_port))
                            if a.relative_link:
                                base = ""

                            link = "<%s%s?%s>; rel=\"next\"" % (
                                base.rstrip("/"), path, "&".join(kept))
                        self.link = link
                        if hub.trickle_left > 0 and fault is None:
                            hub.trickle_left -= 1
                            fault = rec["fault"] = "trickle"
                        if fault is None:
                            hub.churn(idxs)
                            hub.storm_left = a.storm
            if (status in (429,) and rec["fault"] in ("429", "storm", "always")):
                rl = (0, a.fault_t if a.fault_t is not None else t)
            elif status == 429:
                rl = (0, t)
        if is_models and method != "POST":
            delay += a.latency
        if delay > 0:
            time.sleep(delay)
        try:
            self.respond(rec, status, body, rl, retry_after, auth)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        rec["status"] = status if rec["fault"] != "drop" else None
        if not rec.pop("logged", False):
            hub.log(rec)

    def respond(self, rec, status, body, rl, retry_after, auth):
        hub = self.server.hub
        a = hub.args
        fault = rec["fault"]
        if fault == "drop":
            self.close_connection = True
            return
        if status == 200:
            if fault == "nonjson":
                b = self.send(200, HTML_PROXY, "text/html; charset=utf-8", rl)
                self.wfile.write(b)
                return
            extra = [("Link", self.link)] if self.link else []
            b = self.send(200, body, "application/json; charset=utf-8", rl, extra)
            if self.command == "HEAD":
                return
            if fault == "trickle":
                # the whole body, a few bytes at a time: never silent
                # long enough for a low-speed limit
                n = max(1, int(a.trickle_rate))
                for i in range(0, len(b), n):
                    self.wfile.write(b[i:i + n])
                    self.wfile.flush()
                    time.sleep(n / a.trickle_rate)
                return
            if fault in ("truncate", "stall"):
                self.wfile.write(b[:max(1, len(b) // 2)])
                self.wfile.flush()
                self.close_connection = True
                if fault == "stall":
                    # logged now: the client is expected to give up first
                    rec["status"] = status
                    hub.log(rec)
                    rec["logged"] = True
                    time.sleep(a.stall_seconds)
                return
            self.wfile.write(b)
            return
        if status == 400:
            self.send_json(400, {"error": body}, rl)
        elif status == 401:
            msg = MSG_BAD_TOKEN if auth != "none" else MSG_NO_TOKEN
            self.send_json(401, {"error": msg}, rl)
        elif status == 404:
            self.send_json(404, {"error": MSG_404}, rl)
        elif status == 302:
            loc = a.redirect.rstrip("/") + self.path
            self.send_json(302, {"error": "Found"}, rl, [("Location", loc)])
        elif status == 429:
            self.send_json(429, {"error": msg_429(auth == "none", a.quota, a.window)},
                           rl, retry_after)
        elif status in (502, 504):
            b = self.send(status, HTML_502 if status == 502 else HTML_504,
                          "text/html", rl)
            self.wfile.write(b)
        elif status == 500:
            self.send_json(500, {"error": "Internal Error - We're working hard to "
                                 "fix this as soon as possible!"}, rl)
        elif status == 503:
            self.send_json(503, {"error": "Service Unavailable"}, rl, retry_after)
        else:
            self.send_json(status, {"error": self.responses.get(
                status, ("Error",))[0]}, rl)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def load_corpus(path):
    """The corpus's non-blank lines, as bytes (parsed by Hub.index)."""
    with open(path, "rb") as f:
        return [ln.rstrip(b"\r\n") for ln in f if ln.strip()]


def prob(s):
    v = float(s)
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError("probability must be in [0, 1)")
    return v


def spike(s):
    p, _, d = s.partition(":")
    try:
        return (prob(p), float(d))
    except ValueError:
        raise argparse.ArgumentTypeError("expected P:SECONDS")


def huge_spec(s):
    size, _, n = s.partition(":")
    try:
        size, n = int(size), int(n or 1)
    except ValueError:
        raise argparse.ArgumentTypeError("expected BYTES[:N]")
    if size < 1 or n < 1:
        raise argparse.ArgumentTypeError("BYTES and N must be at least 1")
    return (size, n)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="fakehub", description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", metavar="FILE", help="NDJSON corpus of Hub model items")
    src.add_argument("--synthetic", type=int, metavar="N", help="synthesise N models")
    ap.add_argument("--seed", type=int, default=0, help="synthetic corpus and churn seed")
    ap.add_argument("--write-corpus", metavar="FILE",
                    help="with --synthetic: write the corpus as NDJSON and exit")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", metavar="FILE")
    ap.add_argument("--log", metavar="FILE", help="request log (JSON lines)")
    ap.add_argument("--link-base", metavar="URL",
                    help="scheme://host:port used in Link URLs")
    ap.add_argument("--ensure-ascii", action="store_true",
                    help="escape non-ASCII in served JSON (\\u00e9, surrogate pairs)")
    ap.add_argument("--no-gzip", action="store_true")
    ap.add_argument("--coding", metavar="NAME",
                    help="every 200 body labelled Content-Encoding NAME and "
                    "sent as it is, asked for or not; gzip-corrupt: a gzip "
                    "header and trailer around bytes that do not inflate")
    ap.add_argument("--churn", type=int, default=0, metavar="K")
    ap.add_argument("--quota", type=int, default=1000, metavar="Q")
    ap.add_argument("--window", type=float, default=300, metavar="W")
    ap.add_argument("--token", metavar="T")
    ap.add_argument("--require-token", action="store_true")
    ap.add_argument("--fault-seed", type=int, default=0, metavar="S")
    ap.add_argument("--fault-429", type=prob, default=0, metavar="P")
    ap.add_argument("--fault-5xx", type=prob, default=0, metavar="P")
    ap.add_argument("--fault-truncate", type=prob, default=0, metavar="P")
    ap.add_argument("--fault-nonjson", type=prob, default=0, metavar="P")
    ap.add_argument("--fault-drop", type=prob, default=0, metavar="P")
    ap.add_argument("--fault-stall", type=prob, default=0, metavar="P")
    ap.add_argument("--stall-seconds", type=float, default=30, metavar="S",
                    help="how long a --fault-stall answer stalls (default 30)")
    ap.add_argument("--huge-item", type=huge_spec, action="append", default=[],
                    metavar="BYTES[:N]",
                    help="add N models (default 1) with a config of BYTES bytes")
    ap.add_argument("--fault-max-run", type=int, default=3, metavar="N",
                    help="at most N faulted requests in a row (default 3)")
    ap.add_argument("--fault-t", type=int, default=None, metavar="S",
                    help="RateLimit t sent on injected 429s (default: the window's)")
    ap.add_argument("--retry-after", type=int, default=0, metavar="N")
    ap.add_argument("--latency", type=float, default=0, metavar="S")
    ap.add_argument("--latency-spike", type=spike, default=None, metavar="P:S")
    ap.add_argument("--storm", type=int, default=0, metavar="N")
    ap.add_argument("--redirect", metavar="URL",
                    help="answer every listing with 302, Location: URL + the request's path")
    ap.add_argument("--fail-always", type=int, default=0, metavar="CODE")
    ap.add_argument("--prepend-item", action="append", default=[], metavar="JSON",
                    help="every 200 page begins with this raw JSON value")
    ap.add_argument("--relative-link", action="store_true",
                    help="Link URLs are relative: /api/models?...")
    ap.add_argument("--link-loop", action="store_true",
                    help="the Link of every page points back to that page")
    ap.add_argument("--trickle", type=int, default=0, metavar="N",
                    help="the first N 200 pages are sent --trickle-rate bytes a second")
    ap.add_argument("--trickle-rate", type=float, default=2, metavar="B")
    ap.add_argument("--tls-cert", metavar="FILE",
                    help="serve https with this certificate (PEM; with --tls-key)")
    ap.add_argument("--tls-key", metavar="FILE")
    a = ap.parse_args(argv)
    a.scheme = "https" if a.tls_cert else "http"
    if a.write_corpus and a.synthetic is None:
        ap.error("--write-corpus needs --synthetic")
    if (a.fault_429 + a.fault_5xx + a.fault_truncate + a.fault_nonjson +
            a.fault_drop + a.fault_stall >= 1):
        ap.error("the fault probabilities must add up to less than 1")
    if a.window <= 0 or a.quota < 0:
        ap.error("--window must be > 0 and --quota >= 0")
    if a.synthetic is not None:
        items, lines = synthesize(a.synthetic, a.seed, bool(a.write_corpus))
        huge = huge_items(a.huge_item)
        items.extend(huge)
        if a.write_corpus:
            lines.extend(json.dumps(it, ensure_ascii=False, separators=(",", ":"))
                         for it in huge)
            special = (os.path.exists(a.write_corpus)
                       and not os.path.isfile(a.write_corpus))
            tmp = a.write_corpus if special else a.write_corpus + ".tmp%d" % os.getpid()
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                for ln in lines:
                    f.write(ln)
                    f.write("\n")
            if not special:
                os.replace(tmp, a.write_corpus)
            return 0
        del lines
    else:
        items = load_corpus(a.corpus)
        items.extend(huge_items(a.huge_item))
    hub = Hub(items, a)
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.hub = hub
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp%d" % os.getpid()
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.port_file)
    print("listening on %s://127.0.0.1:%d" % (a.scheme, port), file=sys.stderr,
          flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
        if hub.logf:
            hub.logf.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
