"""Lanes: how many runs go at once in one process, shared by the app's tabs and the endpoint
(irg/views/admission.py)."""
import threading
import time

import pytest

from irg.views import admission


def test_admission_lanes_waiting_and_cancel():
    a = admission.Admission(1, waiting=1)
    first = a.enter()
    assert first.wait(timeout=0.01)
    second = a.enter()
    with pytest.raises(admission.Busy):
        a.enter()
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    t = time.monotonic()
    assert not second.wait(cancel)
    assert time.monotonic() - t < 0.5
    second.leave()
    first.leave()
    first.leave()  # twice is harmless
    assert a.state() == {"lanes": 1, "running": 0, "waiting": 0}
    with a.turn() as got:
        assert got and a.state()["running"] == 1
    assert a.state()["running"] == 0


def test_the_line_is_first_come_first_served():
    a = admission.Admission(1)
    held = a.enter()
    assert held.wait(timeout=1)
    order, tickets = [], []
    for i in range(4):
        tickets.append(a.enter())
        time.sleep(0.01)

    def go(i):
        assert tickets[i].wait(timeout=10)
        order.append(i)
        time.sleep(0.05)
        tickets[i].leave()
    threads = [threading.Thread(target=go, args=(i,)) for i in (3, 1, 2, 0)]  # they start waiting out of order
    for t in threads:
        t.start()
    time.sleep(0.2)
    held.leave()
    for t in threads:
        t.join(10)
    assert order == [0, 1, 2, 3]


def test_the_apps_runs_take_their_turn_from_the_same_lanes(model_dir, monkeypatch):
    """A Run in the app waits, saying so, while the process's lanes are all held (by the endpoint or other tabs), and
    starts once one is free; Stop while it waits ends it without a run."""
    from irg.views import ui

    lanes = admission.Admission(1)
    monkeypatch.setattr(admission, "shared", lambda: lanes)
    held = lanes.enter()
    assert held.wait(timeout=1)
    threading.Timer(2.5, held.leave).start()
    outs = list(ui.stream_run("Say hi.", model_dir, {"strategy": "single_pass", "max_new_tokens": 4}, "lanes-1"))
    statuses = [o.get("status", "") for o in outs]
    assert any(s.startswith("waiting for a free lane: 1 run going, 1 waiting") for s in statuses)
    assert statuses[-1].startswith("✔ done") and lanes.state()["running"] == 0

    held = lanes.enter()
    assert held.wait(timeout=1)
    from irg.views import session

    threading.Timer(1.5, session.stop, args=("lanes-2",)).start()
    outs = list(ui.stream_run("Say hi.", model_dir, {"strategy": "single_pass", "max_new_tokens": 4}, "lanes-2"))
    assert outs[-1]["status"] == "stopped before it started"
    held.leave()
    assert lanes.state() == {"lanes": 1, "running": 0, "waiting": 0}
