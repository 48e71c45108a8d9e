"""The launcher's supervisor: what dies is started again, with a line, within a limit."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest

from year2026.launcher import ChildProcess, Supervised, Supervisor

SLEEPS = [sys.executable, "-c", "import time; time.sleep(60)"]
FAILS_AT_ONCE = [sys.executable, "-c", "raise SystemExit(3)"]


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def children() -> Iterator[list[ChildProcess]]:
    """Children made by a test; whatever still runs is killed afterwards."""
    made: list[ChildProcess] = []
    yield made
    for child in made:
        if child.process is not None and child.process.poll() is None:
            child.process.kill()
            child.process.wait()


def started(children: list[ChildProcess], arguments: list[str]) -> ChildProcess:
    child = ChildProcess(arguments, dict(os.environ))
    child.start()
    children.append(child)
    return child


def wait_until_ended(child: ChildProcess) -> None:
    assert child.process is not None
    child.process.wait(timeout=30)


def printed_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_supervisor_restarts_a_killed_child_and_says_so(
    children: list[ChildProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    sleeper = started(children, SLEEPS)
    supervisor = Supervisor([Supervised("The sleeper", sleeper.start, sleeper.ended)])
    supervisor.check()
    assert printed_lines(capsys) == []  # alive: nothing to do

    first = sleeper.process
    assert first is not None
    first.send_signal(signal.SIGKILL)
    first.wait()
    supervisor.check()

    assert printed_lines(capsys) == ["The sleeper stopped unexpectedly (exit -9); restarting (1/5)"]
    assert sleeper.process is not first
    assert sleeper.process is not None
    assert sleeper.process.poll() is None


def test_supervisor_gives_up_on_a_child_that_keeps_dying_and_keeps_the_rest(
    children: list[ChildProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    clock = ManualClock()
    steady = started(children, SLEEPS)
    steady_process = steady.process
    failing = started(children, FAILS_AT_ONCE)
    supervisor = Supervisor(
        [
            Supervised("The failing one", failing.start, failing.ended),
            Supervised("The steady one", steady.start, steady.ended),
        ],
        clock=clock,
    )
    for _ in range(7):
        wait_until_ended(failing)
        supervisor.check()
        clock.now += 10  # past every pause (1, 2, 4, 8 s), well inside the 5 minutes

    assert printed_lines(capsys) == [
        *(
            f"The failing one stopped unexpectedly (exit 3); restarting ({n}/5)"
            for n in range(1, 6)
        ),
        "The failing one stopped unexpectedly (exit 3) after 5 restarts within 5 minutes;"
        " not restarting it again. The rest keeps running; press Ctrl-C to stop everything.",
    ]
    assert steady.process is steady_process  # never touched
    assert steady.process is not None
    assert steady.process.poll() is None


def test_supervisor_pauses_before_restarting_what_died_again_at_once(
    children: list[ChildProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    clock = ManualClock()
    failing = started(children, FAILS_AT_ONCE)
    supervisor = Supervisor([Supervised("It", failing.start, failing.ended)], clock=clock)
    wait_until_ended(failing)
    supervisor.check()  # the first restart is at once
    wait_until_ended(failing)
    clock.now += 0.9
    supervisor.check()  # within the 1 s pause: not yet
    assert printed_lines(capsys) == ["It stopped unexpectedly (exit 3); restarting (1/5)"]
    clock.now += 0.2
    supervisor.check()
    assert printed_lines(capsys) == ["It stopped unexpectedly (exit 3); restarting (2/5)"]


def test_supervisor_forgets_restarts_older_than_its_window(
    children: list[ChildProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    clock = ManualClock()
    failing = started(children, FAILS_AT_ONCE)
    supervisor = Supervisor([Supervised("It", failing.start, failing.ended)], clock=clock)
    for _ in range(5):
        wait_until_ended(failing)
        supervisor.check()
        clock.now += 61  # five restarts over five minutes and five seconds
    wait_until_ended(failing)
    supervisor.check()  # the first has left the window: a sixth restart, counted as the fifth
    lines = printed_lines(capsys)
    assert lines[-1] == "It stopped unexpectedly (exit 3); restarting (5/5)"
    assert len(lines) == 6
