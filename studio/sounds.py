"""The platform's sound library: one catalogue for every sandbox, declared here like the apps.

`commercial` marks the sounds cleared for commercial use: the only ones a business account may
put on a video (RULEBOOK §4). Titles and artists are the simulator's own inventions.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sound:
    key: str
    title: str
    artist: str
    seconds: int
    commercial: bool


LIBRARY: tuple[Sound, ...] = (
    Sound("paper-lanterns", "Paper Lanterns", "The Quiet Harbour", 31, False),
    Sound("neon-tide", "Neon Tide", "Mira Vale", 28, False),
    Sound("kitchen-disco", "Kitchen Disco", "Sunday Brunch Club", 22, False),
    Sound("slow-orbit", "Slow Orbit", "Astrid & the Moons", 45, False),
    Sound("rooftop-rain", "Rooftop Rain", "Lo Kettle", 37, False),
    Sound("handclap-parade", "Handclap Parade", "Ottoline", 19, False),
    Sound("soft-launch", "Soft Launch", "Studio Library", 30, True),
    Sound("bright-shelves", "Bright Shelves", "Studio Library", 24, True),
    Sound("unboxing-glow", "Unboxing Glow", "Studio Library", 27, True),
    Sound("market-morning", "Market Morning", "Studio Library", 33, True),
    Sound("steady-hands", "Steady Hands", "Studio Library", 40, True),
    Sound("pocket-jingle", "Pocket Jingle", "Studio Library", 15, True),
)
BY_KEY = {s.key: s for s in LIBRARY}


def sound(key: str) -> Sound | None:
    return BY_KEY.get(key)
