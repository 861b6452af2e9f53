"""Test data of our own writing for the web tests and the README screenshots: an article, and a
small hand-labelled corpus.

Spans and attributions are placed by hand, by phrase, so the pages can be tested with speakers,
relays and overlapping spans before the model produces them; nothing here is model output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# A short article with plenty of loaded words, as text and as a whole HTML page.
ARTICLE = (
    "The so-called experts in the capital have betrayed every hard-working family in this country. "
    "They told us the new tax would be fair, and they were wrong, as they always are.\n\n"
    '"This tax is the only honest choice we have, and anyone who says otherwise is lying," '
    "Finance Minister Anna Berg told reporters on Tuesday, the Valley Herald reported.\n\n"
    "Only a fool would trust them again; the choice is simple: stand with the people or stand with the traitors."
)

ARTICLE_HTML = f"""<!doctype html>
<html><head><title>Capital betrayal</title><meta property="og:site_name" content="Local Test Site"></head>
<body><nav>Home | News | Sport</nav>
<article><h1>Capital betrayal</h1><p>{ARTICLE}</p>
<p>The minister said the tax would fund schools and hospitals across the region, and that the plan
would be reviewed by the parliament in the spring.</p></article>
<footer>Copyright the test site</footer></body></html>
"""

ARTICLES: list[dict[str, Any]] = [
    {
        "id": "harbour-vote",
        "title": "Council pushes harbour deal through",
        "outlet": "Coastal Courier",
        "published": "2024-03-04",
        "text": (
            "The council voted on Monday to sell the old harbour to a private developer.\n\n"
            'Mayor Lena Ortiz said the sale was "the only way to save this city from ruin" and called '
            'opponents "reckless saboteurs", the Courier reported.\n\n'
            "Every sensible resident already backs the plan. Critics say the price is a disgraceful "
            "giveaway that will haunt the town for generations."
        ),
        "spans": [
            ("the only way to save this city from ruin", "Black-and-White_Fallacy", 0.82, "Lena Ortiz"),
            ("save this city from ruin", "Appeal_to_fear-prejudice", 0.64, "Lena Ortiz"),
            ("reckless saboteurs", "Name_Calling,Labeling", 0.91, "Lena Ortiz"),
            ("Every sensible resident already backs the plan", "Bandwagon,Reductio_ad_hitlerum", 0.58, None),
            ("disgraceful giveaway", "Loaded_Language", 0.77, None),
            ("will haunt the town for generations", "Exaggeration,Minimisation", 0.36, None),
        ],
        "attributions": [
            ("the only way to save this city from ruin", "Mayor Lena Ortiz", "said", "Lena Ortiz", ["the Courier"]),
            ("reckless saboteurs", "Mayor Lena Ortiz", "called", "Lena Ortiz", ["the Courier"]),
        ],
    },
    {
        "id": "grid-warning",
        "title": "Grid operator warns of winter blackouts",
        "outlet": "Coastal Courier",
        "published": "2024-04-11",
        "text": (
            "The grid operator warned that old power lines could fail this winter.\n\n"
            'Its director, Sam Okafor, told reporters that "experts all agree" the repairs cannot wait. '
            "The opposition dismissed the warning as scaremongering by a failed administration.\n\n"
            "The operator plans to replace forty kilometres of cable before December and will publish a "
            "schedule of planned outages on its website next week."
        ),
        "spans": [
            ("experts all agree", "Appeal_to_Authority", 0.71, "Sam Okafor"),
            ("scaremongering", "Loaded_Language", 0.66, None),
            ("a failed administration", "Name_Calling,Labeling", 0.54, None),
        ],
        "attributions": [("experts all agree", "Sam Okafor", "told", "Sam Okafor", [])],
    },
    {
        "id": "school-budget",
        "title": "Schools face another lean year",
        "outlet": "Valley Ledger",
        "published": "2024-03-20",
        "text": (
            "Teachers in the valley will again buy their own chalk, the union said on Thursday.\n\n"
            "The district budget for next year keeps spending flat while pupil numbers rise, and two rural "
            "schools will share a head teacher from September.\n\n"
            "It is time to stand up for our children and our proud valley. Enough is enough."
        ),
        "spans": [
            ("stand up for our children and our proud valley", "Flag-Waving", 0.62, None),
            ("Enough is enough", "Slogans", 0.88, None),
            ("Enough is enough", "Thought-terminating_Cliches", 0.47, None),
        ],
        "attributions": [],
    },
    {
        "id": "bridge-repair",
        "title": "Bridge repairs run late",
        "outlet": "Valley Ledger",
        "published": "2024-04-02",
        "text": (
            "Repairs to the river bridge will take two more months, the roads office said.\n\n"
            "Drivers will keep using the single open lane, and buses will run on the ring road until the "
            "work is finished. The office blamed a shortage of steel for the delay.\n\n"
            "Of course, nobody asked why the last repair cost twice as much."
        ),
        "spans": [("nobody asked why the last repair cost twice as much", "Doubt", 0.52, None)],
        "attributions": [],
    },
    {
        "id": "ferry-fares",
        "title": "Ferry fares: the same old story",
        "outlet": "Metro Wire",
        "published": "2024-05-14",
        "text": (
            "Ferry fares will rise again in June, the operator said on Monday.\n\n"
            "Prices rose because the operator is greedy, and that is the whole story. Prices rose, prices rose, "
            "and prices will rise again.\n\n"
            "And what about the bus company, which raised its fares twice last year?"
        ),
        "spans": [
            ("because the operator is greedy", "Causal_Oversimplification", 0.57, None),
            ("Prices rose, prices rose", "Repetition", 0.49, None),
            ("And what about the bus company", "Whataboutism,Straw_Men,Red_Herring", 0.69, None),
        ],
        "attributions": [],
    },
    {
        "id": "festival",
        "title": "Harbour festival returns",
        "outlet": "Metro Wire",
        "published": "2024-04-20",
        "text": "The harbour festival returns next month with music, food stalls and a boat parade.",
        "spans": [],
        "attributions": [],
    },
]


def _find(text: str, phrase: str) -> list[int]:
    start = text.index(phrase)
    return [start, start + len(phrase)]


def demo_items() -> list[dict[str, Any]]:
    """The articles in ``Document.to_dict()`` shape, offsets found from the phrases."""
    items = []
    for article in ARTICLES:
        text = article["text"]
        spans = []
        for phrase, technique, score, speaker in article["spans"]:
            start, end = _find(text, phrase)
            spans.append({"start": start, "end": end, "technique": technique, "score": score, "speaker": speaker})
        attributions = [
            {
                "content": _find(text, content),
                "source": _find(text, source),
                "cue": _find(text, cue),
                "speaker": speaker,
                "via": via,
            }
            for content, source, cue, speaker, via in article["attributions"]
        ]
        fields = {k: article[k] for k in ("id", "title", "outlet", "published", "text")}
        spans.sort(key=lambda s: (s["start"], s["end"], s["technique"]))
        items.append(
            {**fields, "url": f"https://example.org/{article['id']}", "spans": spans, "attributions": attributions}
        )
    return items


def write_demo_store(path: Path) -> Path:
    """A corpus store holding the demo articles, written through the store's own API."""
    from propwatch.store import Analysed, Store

    with Store(path) as store:
        store.write_batch([Analysed(item, f"demo:{item['id']}") for item in demo_items()], [])
    return path
