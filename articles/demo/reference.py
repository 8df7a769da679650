"""The demo content: a real online news story and the article its "More on" link points to.

The authors are demo personas of this site, not the story's original writers. The lead
image is an illustration drawn here with Pillow (a labelled gradient), credited as such:
the demo downloads nothing and uses nobody's photograph.
"""

import datetime
import io

from PIL import Image, ImageDraw, ImageFont

UTC = datetime.UTC

CATEGORY = {
    "name": "Space",
    "slug": "space",
    "description": "Spaceflight, the International Space Station and the agencies that run it.",
}

AUTHORS = [
    {
        "name": "Dana Whitfield",
        "slug": "dana-whitfield",
        "role": "Space reporter",
        "bio": "Dana covers spaceflight, the International Space Station and the agencies "
        "that keep it flying.",
    },
    {
        "name": "Sam Okafor",
        "slug": "sam-okafor",
        "role": "Science editor",
        "bio": "Sam edits the science and space desk.",
    },
]

COMMAND_HANDOVER = {
    "headline": "Russian Cosmonaut Hands Over Command of Space Station to NASA Astronaut",
    "slug": "russian-cosmonaut-hands-over-command-of-space-station-to-nasa-astronaut",
    "dek": "The change-of-command ceremony went ahead as usual on the eve of a Soyuz return.",
    "published_at": datetime.datetime(2022, 3, 29, 17, 0, tzinfo=UTC),
    "authors": ["dana-whitfield"],
    "tags": ["ISS", "NASA", "Roscosmos"],
    "lead_quotes": [],
    "sections": [
        {
            "subheading": "",
            "body": (
                "Russian cosmonaut Anton Shkaplerov handed command of the International Space "
                "Station to NASA astronaut Tom Marshburn on Tuesday, in the ceremony that "
                "traditionally comes before a commander leaves the station.\n\n"
                "Shkaplerov was due to return to Earth the next day aboard a Soyuz capsule with "
                "fellow cosmonaut Pyotr Dubrov and NASA astronaut Mark Vande Hei, who was "
                "finishing a mission of 355 days in space.\n\n"
                "The handover went ahead as usual despite the strain that Russia's invasion of "
                "Ukraine has put on relations between the two countries' space agencies."
            ),
            "quotes": [],
        }
    ],
    "more_on_links": [],
}

VANDE_HEI_RETURN = {
    "headline": "NASA Astronaut Mark Vande Hei Returns to Earth in a Russian Soyuz",
    "slug": "nasa-astronaut-mark-vande-hei-returns-to-earth-in-a-russian-soyuz",
    "dek": '"Probably the last time Americans and Russians fly together in space for a long time."',
    "published_at": datetime.datetime(2022, 3, 30, 16, 0, tzinfo=UTC),
    "authors": ["dana-whitfield", "sam-okafor"],
    "tags": ["ISS", "NASA", "Roscosmos", "Russia"],
    "lead_quotes": [
        {
            "text": "Probably the last time Americans and Russians fly together in space for a "
            "long time.",
            "speaker": "Chris Berger",
            "speaker_role": "NASASpaceFlight editor",
        }
    ],
    "sections": [
        {
            "subheading": "Small Talk",
            "body": (
                "It would have been amazing to be a fly on the wall. This morning, NASA astronaut "
                "Mark Vande Hei took the long trip back from the International Space Station to "
                "Earth in an interesting vehicle: a Russian Soyuz capsule, along with two Russian "
                "cosmonauts.\n\n"
                "For years, after the end of the Space Shuttle program marked a period when NASA "
                "would regularly contract the Russian space agency Roscmosmos to fly its "
                "astronauts to and from the ISS, that would have been a fairly standard "
                "arrangement. But as Russia's invasion of Ukraine has strained the relationship "
                "between the two countries to the breaking point, many wondered what the "
                "dynamics of this journey would be like.\n\n"
                "Fortunately, it sounds like things went fine.\n\n"
                '"Probably the last time Americans and Russians fly together in space for a long '
                "time, but Roscosmos was professional and classy with Mark's return,\" wrote "
                "NASASpaceFlight editor Chris Berger after the successful landing in Kazakhstan "
                "this morning."
            ),
            "quotes": [
                {
                    "text": "Probably the last time Americans and Russians fly together in space "
                    "for a long time, but Roscosmos was professional and classy with Mark's "
                    "return.",
                    "speaker": "Chris Berger",
                    "speaker_role": "NASASpaceFlight editor",
                    "after_paragraph": 2,
                }
            ],
        },
        {
            "subheading": "Friends Forever",
            "body": (
                "NASA officials have repeatedly stressed that even in the face of dire "
                "international tension, the collaboration between Russia and the United States "
                "on the ISS remains smooth.\n\n"
                '"For the safety of our astronauts, the working relationship between NASA and our '
                "international partners continues,” NASA administrator Bill Nelson said earlier "
                'this week. "And that includes the professional relationship between the '
                'cosmonauts and our astronauts."\n\n'
                "That spirit of continued camaraderie hasn't necessarily included alumnae of "
                "NASA's astronaut program, though — especially after Russia released a "
                "controversial video that many interpreted as an oblique threat to leave Vande "
                "Hei behind on the ISS.\n\n"
                '"I was just enraged that he, the [cosmonauts], said that they were going to '
                'leave an American crew member behind," former NASA astronaut Scott Kelly said '
                "after the release of the clip.\n\n"
                "It's also worth noting that Nelson's counterpart in the Russian space program, "
                "Dmitry Rogozin, hasn't echoed NASA's even-tempered tone. Instead, he's released "
                "a series of statements that have alternated between threatening, wheedling, and "
                "just plain bizarre.\n\n"
                "At the landing site in Kazakhstan, though, it sounds like everything stayed "
                "professional."
            ),
            "quotes": [
                {
                    "text": "For the safety of our astronauts, the working relationship between "
                    "NASA and our international partners continues. And that includes the "
                    "professional relationship between the cosmonauts and our astronauts.",
                    "speaker": "Bill Nelson",
                    "speaker_role": "NASA administrator",
                    "after_paragraph": 1,
                },
                {
                    "text": "I was just enraged that he, the [cosmonauts], said that they were "
                    "going to leave an American crew member behind.",
                    "speaker": "Scott Kelly",
                    "speaker_role": "former NASA astronaut",
                    "after_paragraph": 3,
                },
            ],
        },
    ],
    "more_on_links": [{"topic": "the ISS", "target": COMMAND_HANDOVER["slug"]}],
}

SOYUZ_ILLUSTRATION = {
    "title": "Soyuz return, March 2022 (illustration)",
    "label": "Illustration: Soyuz return, March 2022",
    "alt_text": "A gradient from night blue to a re-entry orange, labelled “Illustration: "
    "Soyuz return, March 2022”.",
    "caption": "Mark Vande Hei, Anton Shkaplerov and Pyotr Dubrov landed in Kazakhstan on "
    "March 30, 2022.",
    "credit": "Illustration: Newsroom",
    "source": "Drawn by the demo loader (manage.py load_demo); not a photograph.",
    "focal_x": 0.5,
    "focal_y": 0.5,
}
VANDE_HEI_RETURN["lead_image"] = SOYUZ_ILLUSTRATION


def blocks(section):
    """A section's blocks in reading order: its paragraphs as text blocks, each pull quote
    placed after the paragraph it names (`after_paragraph`, counted from 1)."""
    paragraphs = section["body"].split("\n\n")
    quotes = sorted(section["quotes"], key=lambda quote: quote["after_paragraph"])
    found, start = [], 0
    for quote in quotes:
        stop = quote["after_paragraph"]
        if stop > start:
            found.append({"kind": "text", "body": "\n\n".join(paragraphs[start:stop])})
        found.append(
            {"kind": "quote", **{k: v for k, v in quote.items() if k != "after_paragraph"}}
        )
        start = stop
    if start < len(paragraphs):
        found.append({"kind": "text", "body": "\n\n".join(paragraphs[start:])})
    return found


def illustration(label, size=(1800, 1200)):
    """A JPEG of a vertical gradient, night blue to re-entry orange, with `label` across it."""
    width, height = size
    top, bottom = (12, 24, 64), (232, 112, 40)
    gradient = Image.linear_gradient("L").resize(size)
    picture = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=height // 14)
    draw.text((width / 2, height / 2), label, font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# The link target comes first so the link can point at it.
ARTICLES = [COMMAND_HANDOVER, VANDE_HEI_RETURN]
