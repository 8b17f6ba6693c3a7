"""stream_states derives the simulator's per-touch streams in bulk: the same states and draws as stream()."""

from __future__ import annotations

import numpy as np
import pytest

from workbench._random import as_seed_sequence, stream, stream_states

# roots as simulate makes them (an int seed, fresh 128-bit entropy) and as a caller may pass them
ROOTS = [
    as_seed_sequence(0),
    as_seed_sequence(1),
    as_seed_sequence(2**40 + 3),
    np.random.SeedSequence(2**200 + 11, spawn_key=(2**33, 5)),
    np.random.SeedSequence(7, spawn_key=(3,)),
]
# one- and two-word keys, the 32-bit edges, and activity keys as the engine makes them (1 + crc32)
KEYS = [0, 1, 2**32 - 1, 2**32, 2**32 + 1, 2**64 + 5] + [
    int(k) for k in np.random.default_rng(5).integers(1, 2**32 + 1, 40)
]


@pytest.mark.parametrize("root", ROOTS, ids=range(len(ROOTS)))
@pytest.mark.parametrize("prefix", [(0,), (5,), (2**32,), ()])
def test_bulk_states_draw_exactly_what_stream_draws(root: np.random.SeedSequence, prefix: tuple[int, ...]) -> None:
    generator = np.random.Generator(np.random.PCG64(0))
    for key, state in zip(KEYS, stream_states(root, prefix, KEYS), strict=True):
        reference = stream(root, *prefix, key)
        assert state == reference.bit_generator.state
        generator.bit_generator.state = state
        assert np.array_equal(generator.random(7), reference.random(7))
        assert np.array_equal(generator.normal(size=3), reference.normal(size=3))


def test_roots_the_bulk_path_does_not_cover_fall_back_to_stream() -> None:
    root = np.random.SeedSequence([1, 2, 3], pool_size=8)  # entropy as words, another pool size
    states = stream_states(root, (0,), [4, 9])
    assert states == [stream(root, 0, 4).bit_generator.state, stream(root, 0, 9).bit_generator.state]
