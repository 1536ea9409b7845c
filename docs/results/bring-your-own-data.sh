#!/usr/bin/env bash
# The user-facing checks of issue #15, run as a new user would; output in bring-your-own-data.log.
# Makes its inputs in /tmp/byod from the bundled Rotten Tomatoes snippets (a stand-in for a user's
# own table, not SMS data): sms.csv (one table), split/ (train/test JSON Lines), hf/ (train +
# validation CSV, as a Hugging Face export), ft.vec (the bundled GloVe rows with a word2vec header).
# TD=path/to/textdistill picks the binary (default: the release build of this checkout).
set -u
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
B=${TD:-$ROOT/.build/release/textdistill}
rm -rf /tmp/byod && mkdir -p /tmp/byod && cd /tmp/byod
ROOT="$ROOT" python3 -c '
import random, csv, json, os, gzip
root = os.environ["ROOT"]
rows = [l.rstrip("\n").split("\t") for l in open(root + "/corpora/rotten-tomatoes/train.tsv")][1:]
random.seed(3); random.shuffle(rows)
with open("sms.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["label", "text"]); [w.writerow(r) for r in rows[:2000]]
os.makedirs("split"); os.makedirs("hf")
for n, part in [("train", rows[:1500]), ("test", rows[1500:1900])]:
    with open(f"split/{n}.jsonl", "w") as f:
        for a, b in part: f.write(json.dumps({"text": b, "label": a}) + "\n")
for n, part in [("train", rows[:1500]), ("validation", rows[1500:1900])]:
    with open(f"hf/{n}.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["text", "label"]); [w.writerow([b, a]) for a, b in part]
lines = gzip.open(root + "/vocab/glove.6B.50d.subset.txt.gz", "rt").read().splitlines()
open("ft.vec", "w").write(f"{len(lines)} 50\n" + "\n".join(lines) + "\n")
'
c() { echo; echo "\$ $*"; "$@" > /tmp/byod-out.txt 2>&1; rc=$?; tail -"${TAILN:-12}" /tmp/byod-out.txt; echo "(exit $rc)"; }
c "$B" --version
c "$B" corpus sms.csv --label-column label --text-column text
c "$B" corpus sms.csv --test-fraction 0.2
c "$B" corpus split
c "$B" corpus hf
c "$B" corpus sms.csv --test-fraction 0.2 --embeddings ft.vec
TAILN=4 c "$B" distill --data sms.csv --test-fraction 0.2 --embeddings ft.vec --model textcnn --epochs 0
TAILN=4 c "$B" distill --data sms.csv --test-fraction 0.2 --model textcnn --output out/x.safetensors
TAILN=14 c "$B" distill --data split --model textcnn --epochs 2 --no-full-data --output split.safetensors --metrics split.csv
mkdir -p elsewhere
cd elsewhere
TAILN=3 c "$B" decode ../split.safetensors
TAILN=3 c "$B" evaluate ../split.safetensors --test-nets 3
TAILN=3 c "$B" report ../split.safetensors --output split.html
TAILN=3 c "$B" evaluate ../split.safetensors --nets 3
cd ..
c head -3 split.csv
if [ -x /work/venvs/torchenv/bin/python ]; then
    c /work/venvs/torchenv/bin/python -c "import json; from safetensors import safe_open; m=json.loads(safe_open('split.safetensors','np').metadata()['textdistill']); print(m['task']['data'], m['task']['dataSHA256'][:16], m['task']['recipe']); print(m['words'][:12]); print({k: m['settings'][k] for k in ['innerEpochs','outerLearningRate','realBatchSize','samplesPerClass']})"
fi
