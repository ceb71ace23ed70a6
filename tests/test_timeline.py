from tui.timeline import covering, landing


def test_landing_takes_a_paragraph_starting_within_the_same_second():
    starts = [0.0, 40.2, 80.0, 86.655, 90.0]
    assert landing(starts, 86) == 3  # a section at 86 s: the paragraph at 86.655 s, not the one before
    assert landing(starts, 86.9) == 3
    assert landing(starts, 85) == 2  # 85 s lies inside the paragraph starting at 80 s
    assert landing(starts, 80) == 2
    assert landing(starts, 40) == 1  # 40.2 starts within second 40
    assert landing(starts, 39.5) == 0
    assert landing(starts, 1000) == 4
    assert landing(starts, -3) == -1
    assert landing([], 5) == -1


def test_landing_keeps_the_containing_paragraph_when_it_starts_in_that_second():
    assert landing([86.1, 86.655], 86.7) == 1
    assert landing([86.1, 86.655], 86) == 0  # the first one starting within second 86


def test_covering_is_the_last_start_at_or_before_and_the_first_of_equals():
    starts = [10.0, 20.0, 20.0, 30.0]
    assert covering(starts, 25) == 1
    assert covering(starts, 20) == 1
    assert covering(starts, 9) == -1
    assert covering(starts, 30) == 3
