"""A fictional wire story and what became of it: the articles of the sources tests.

A credited republication, a mirror known only by its URL, an update by the agency itself
(another spelling of its name), an uncredited copy that misspells a name, and an unrelated
article.
"""

from __future__ import annotations

from wiretrace import Article

BODY = " ".join(
    [
        "The Kestrel Harbour council voted on Tuesday to rebuild the old grain pier at a cost "
        "of 38 million crowns, ending a dispute that had split the town for two years.",
        "Mayor Ingrid Salvesen said the new pier would take three years to build and would "
        "open to ferries and the fishing fleet in the spring of 2029.",
        "Engineers from the harbour authority told councillors that the oak piles of the old "
        "pier had rotted below the waterline and that two cranes had already been withdrawn.",
        "The plan adds a ferry berth, a cold store for the fishing fleet and a cycle path "
        "along the north quay.",
        "Harbour fees for cargo ships will rise by 14% over five years to help repay the "
        "loan, the authority said.",
        "Opponents, led by councillor Petra Lindqvist, said the money should go to the flood "
        "wall on the north shore instead.",
        "The council will publish the tender in June, and work is due to start in the autumn.",
        "A local fishermen's association welcomed the vote but asked for a second cold store.",
    ]
)
DATELINE = "KESTREL HARBOUR, May 2 (Ostmark Wire) - "
FIRST_FIVE = BODY.split(" Opponents,")[0]
UNRELATED = (
    "The Ravnsborg chess club won the regional league on Saturday after a final-round draw "
    "against Toller. Its captain, Mira Havel, said the team had trained twice a week since "
    "January. The club will now play in the national second division, which starts in "
    "September with nine other teams."
)


def pier_articles() -> list[Article]:
    """The wire story and what became of it, in the order they appeared."""
    wire = DATELINE + BODY
    update = DATELINE + FIRST_FIVE + " The tender documents will be posted next month."
    return [
        Article("wire", wire, title="Pier vote", source="Ostmark Wire", date="2026-05-02T08:00Z"),
        Article(
            "wire_update", update, title="Pier (update)", source=" ostmark  wire ",
            date="2026-05-02T08:30Z",
        ),
        Article(
            "daily", wire, title="Pier backed", source="Daily Lantern", date="2026-05-02T09:00Z"
        ),
        Article(
            "mirror", wire, title="Pier rebuilt", url="https://www.mirror-site.example:8443/a",
            date="2026-05-02T09:30Z",
        ),
        Article(
            "blog", BODY.replace("Salvesen", "Salvesn"), title="You won't believe this pier",
            source="Quickbuzz", date="2026-05-02T10:00Z",
        ),
        Article("chess", UNRELATED, source="Unrelated Times", date="2026-05-01T10:00Z"),
    ]  # fmt: skip
