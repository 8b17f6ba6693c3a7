"""Small, self-contained HTML launch pages for activities that have no content URL yet.

A page shows the activity's title, description and (when known) a link to the real asset. An
activity with retrieval items gets a quiz: one accessible form per item (a fieldset whose
legend is the stem, labelled radio buttons, checkboxes or a text field, a "Check answer"
button and the feedback in a live region), scored when every item is answered. Other pages
keep a "Mark as done" button.

The page speaks the runtime protocol of its package:

- SCORM 2004 4th Edition: finds ``API_1484_11``, records each answer as
  ``cmi.interactions.n`` (id, type, objective = the concept, timestamp, correct responses,
  learner response, result), then ``cmi.score.*``, ``cmi.success_status`` against
  ``cmi.scaled_passing_score`` (the manifest's mastery) or the activity's ``mastery_score``,
  ``cmi.completion_status`` and ``cmi.session_time``; leaving early suspends
  (``cmi.exit = suspend`` with the answers in ``cmi.suspend_data`` and the next item in
  ``cmi.location``) and a relaunch resumes there.
- cmi5: the vendored xAPI.js cmi5 library (``vendor/xapi-cmi5``, MIT) reads the launch
  parameters, POSTs the fetch URL, reads ``LMS.LaunchData`` and sends ``initialized``; each
  answer is one ``answered`` statement (see :mod:`workbench.export._vocab`), the end of the
  quiz sends ``passed``/``failed`` against the LMS's mastery score and ``completed`` (only in
  ``Normal`` launch mode), then ``terminated``, and the page goes to ``returnURL`` if given.

Text is never markup: every title, stem, choice and feedback is HTML-escaped (or set with
``textContent`` by the script), and a Content-Security-Policy meta tag allows only the page's
own inline script and style (by hash) and, for cmi5, the vendored library file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from workbench.export._vocab import (
    ITEM_TEST_ID,
    choice_id,
    item_definition,
    objective_activity,
    scorm_interaction,
)
from workbench.model import Activity, RetrievalItem

__all__ = ["CMI5_LIBRARY", "cmi5_library", "launch_page", "vendored_files"]

#: Where the vendored cmi5 library sits in a cmi5 package (pages link to it relatively).
CMI5_LIBRARY = "lib/xapi-cmi5/cmi5.umd.js"
#: Version and SHA-256 of the vendored file (checked by the tests against the file).
VENDORED_CMI5 = {
    "package": "@xapi/cmi5",
    "version": "1.4.0",
    "sha256": "5f3e4fd0dfd0edf591a239a8c8b977072a79ef2d17cdf3ef50389e9e4ba6eeef",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "button{font-size:1rem;padding:.5rem 1rem}#status{color:#555}"
    "fieldset{margin:1.5rem 0;padding:1rem;border:1px solid #999;border-radius:.3rem}"
    "legend{font-weight:600;padding:0 .3rem}.choice{margin:.3rem 0}"
    "input[type=text]{font-size:1rem;padding:.3rem;width:100%;box-sizing:border-box}"
    ".feedback{margin:.5rem 0 0}.right{color:#05620d}.wrong{color:#a0001c}"
    ":focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}"
)

_PREVIEW = "Preview: open this page from your learning platform to record progress."

# Shared by both standards: reads the item data, judges answers, shows feedback, keeps state.
# An adapter (SCORM or cmi5) is called when the page starts, after each answer and at the end.
_QUIZ_CORE = """
var Quiz = (function () {
  var data = JSON.parse(document.getElementById("quiz-data").textContent);
  var answers = {};
  var normalise = function (text) { return text.trim().split(/\\s+/).join(" ").toLocaleLowerCase(); };
  var byId = function (id) { return document.getElementById(id); };
  var responseOf = function (item) {
    if (item.kind === "free_text") {
      var text = byId(item.field).value;
      return normalise(text) ? text.trim() : null;
    }
    var picked = [];
    item.choices.forEach(function (choice) { if (byId(choice.field).checked) { picked.push(choice.id); } });
    return picked.length ? picked : null;
  };
  var judge = function (item, response) {
    if (item.kind === "free_text") {
      var given = normalise(response);
      return item.accepted.some(function (a) { return normalise(a) === given; });
    }
    var right = item.choices.filter(function (c) { return c.correct; }).map(function (c) { return c.id; });
    return right.length === response.length && right.every(function (id) { return response.indexOf(id) >= 0; });
  };
  var show = function (item, response, correct) {
    var lines = [correct ? "Correct." : "Not quite."];
    if (item.kind !== "free_text") {
      item.choices.forEach(function (c) {
        byId(c.field).checked = response.indexOf(c.id) >= 0;
        if (response.indexOf(c.id) >= 0 && c.feedback) { lines.push(c.feedback); }
      });
    } else {
      byId(item.field).value = response;
      if (!correct) { lines.push("Accepted answer: " + item.accepted[0] + "."); }
    }
    if (item.feedback) { lines.push(item.feedback); }
    var box = byId(item.feedbackField);
    box.textContent = lines.join(" ");
    box.className = "feedback " + (correct ? "right" : "wrong");
    byId(item.fieldset).disabled = true;
  };
  var answeredCount = function () { return Object.keys(answers).length; };
  var score = function () {
    var right = data.items.filter(function (item) { return answers[item.id] && answers[item.id].correct; }).length;
    return {raw: right, min: 0, max: data.items.length, scaled: data.items.length ? right / data.items.length : 0};
  };
  var nextOpen = function () {
    for (var i = 0; i < data.items.length; i++) { if (!answers[data.items[i].id]) { return data.items[i]; } }
    return null;
  };
  var start = function (adapter) {
    (adapter.restored || []).forEach(function (saved) {
      var item = data.items.filter(function (it) { return it.id === saved.id; })[0];
      if (item && !answers[item.id]) {
        answers[item.id] = {response: saved.response, correct: judge(item, saved.response)};
        show(item, saved.response, answers[item.id].correct);
      }
    });
    var finish = function () {
      var s = score();
      byId("score").textContent = "You answered " + s.raw + " of " + s.max + " correctly.";
      adapter.finish(s);
    };
    data.items.forEach(function (item) {
      byId(item.check).addEventListener("click", function () {
        if (answers[item.id]) { return; }
        var response = responseOf(item);
        if (response === null) {
          byId(item.feedbackField).textContent = "Choose or type an answer first.";
          return;
        }
        var correct = judge(item, response);
        answers[item.id] = {response: response, correct: correct};
        show(item, response, correct);
        var next = nextOpen();
        adapter.answered(item, response, correct, answers, next);
        if (next) { byId(next.first).focus(); } else { finish(); }
      });
    });
    var first = nextOpen();
    if (first && adapter.restored && adapter.restored.length) { byId(first.first).focus(); }
    if (!first && data.items.length) { finish(); }
  };
  return {data: data, start: start, score: score, answeredCount: answeredCount};
})();
"""

_SCORM_FIND = """
  var find = function (win) {
    for (var hops = 0; win && hops < 20; hops++) {
      if (win.API_1484_11) { return win.API_1484_11; }
      if (win.parent && win.parent !== win) { win = win.parent; } else { win = win.opener; }
    }
    return null;
  };
  var api = find(window), finished = false, started = Date.now();
  var sessionTime = function () { return "PT" + Math.max(0, Math.round((Date.now() - started) / 1000)) + "S"; };
"""

_SCORM_SCRIPT = (
    """
(function () {
  var status = document.getElementById("status"), done = document.getElementById("done");"""
    + _SCORM_FIND
    + """
  if (!api) {
    status.textContent = "%(preview)s";
    done.disabled = true;
    return;
  }
  api.Initialize("");
  if (api.GetValue("cmi.completion_status") !== "completed") {
    api.SetValue("cmi.completion_status", "incomplete");
  }
  api.Commit("");
  var finish = function () {
    if (finished) { return; }
    finished = true;
    api.SetValue("cmi.session_time", sessionTime());
    api.Terminate("");
  };
  done.addEventListener("click", function () {
    done.disabled = true;
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.exit", "normal");
    api.Commit("");
    finish();
    status.textContent = "Recorded. You can close this window.";
  });
  window.addEventListener("pagehide", finish);
})();
"""
)

_SCORM_QUIZ = (
    """
(function () {
  var status = document.getElementById("status"), leave = document.getElementById("leave");"""
    + _SCORM_FIND
    + """
  // SCORM time: a zone designator only after fractions of a second (RTE 4.2.9.1)
  var stamp = function () { return new Date().toISOString().slice(0, 22) + "Z"; };
  var terminate = function (exit) {
    if (finished || !api) { return; }
    finished = true;
    api.SetValue("cmi.exit", exit);
    api.SetValue("cmi.session_time", sessionTime());
    api.Commit("");
    api.Terminate("");
  };
  var restored = [];
  if (!api) {
    status.textContent = "%(preview)s";
  } else {
    api.Initialize("");
    if (api.GetValue("cmi.entry") === "resume") {
      try { restored = JSON.parse(api.GetValue("cmi.suspend_data") || "[]"); } catch (e) { restored = []; }
    }
    if (api.GetValue("cmi.completion_status") !== "completed") {
      api.SetValue("cmi.completion_status", "incomplete");
    }
    api.Commit("");
  }
  var mastery = function () {
    var fromLms = api.GetValue("cmi.scaled_passing_score");
    if (fromLms !== "" && !isNaN(parseFloat(fromLms))) { return parseFloat(fromLms); }
    return Quiz.data.mastery;
  };
  Quiz.start({
    restored: restored,
    answered: function (item, response, correct, answers, next) {
      if (!api || finished) { return; }
      var n = api.GetValue("cmi.interactions._count"), base = "cmi.interactions." + n + ".";
      api.SetValue(base + "id", item.id);
      api.SetValue(base + "type", item.scorm.type);
      api.SetValue(base + "objectives.0.id", item.concept);
      api.SetValue(base + "timestamp", stamp());
      item.scorm.correct_responses.forEach(function (pattern, k) {
        api.SetValue(base + "correct_responses." + k + ".pattern", pattern);
      });
      api.SetValue(base + "learner_response", item.kind === "free_text" ? response : response.join("[,]"));
      api.SetValue(base + "result", correct ? "correct" : "incorrect");
      api.SetValue(base + "description", item.stem.slice(0, 250));
      var saved = Quiz.data.items.filter(function (it) { return answers[it.id]; }).map(function (it) {
        return {id: it.id, response: answers[it.id].response};
      });
      api.SetValue("cmi.suspend_data", JSON.stringify(saved));
      api.SetValue("cmi.location", next ? next.id : "end");
      api.Commit("");
    },
    finish: function (score) {
      leave.hidden = false;
      if (!api || finished) { return; }
      api.SetValue("cmi.score.raw", String(score.raw));
      api.SetValue("cmi.score.min", String(score.min));
      api.SetValue("cmi.score.max", String(score.max));
      api.SetValue("cmi.score.scaled", String(Math.round(score.scaled * 10000) / 10000));
      var passing = mastery();
      if (passing !== null && passing !== undefined) {
        api.SetValue("cmi.success_status", score.scaled >= passing ? "passed" : "failed");
      }
      api.SetValue("cmi.completion_status", "completed");
      api.SetValue("cmi.location", "end");
      api.Commit("");
    }
  });
  leave.addEventListener("click", function () {
    leave.disabled = true;
    terminate("normal");
    status.textContent = "Recorded. You can close this window.";
  });
  window.addEventListener("pagehide", function () {
    terminate(Quiz.answeredCount() < Quiz.data.items.length ? "suspend" : "normal");
  });
})();
"""
)

# cmi5: the vendored library does the launch sequence and builds the statements.
_CMI5_START = """
  var status = document.getElementById("status");
  var cmi5 = null, queue = Promise.resolve(), normal = false, ended = false, returnUrl = null;
  var later = function (step) {
    queue = queue.then(step).catch(function () { status.textContent = "Could not reach the learning platform."; });
    return queue;
  };
  var end = function () {
    if (!cmi5 || ended) { return queue; }
    ended = true;
    return later(function () { return cmi5.terminate(); }).then(function () {
      status.textContent = "Recorded. You can close this window.";
      if (returnUrl) { window.location.assign(returnUrl); }
    });
  };
  var ready = Promise.resolve(false);
  if (!window.Cmi5 || !Cmi5.isCmiAvailable) {
    status.textContent = "%(preview)s";
  } else {
    cmi5 = new Cmi5();
    ready = later(function () { return cmi5.initialize(); }).then(function () {
      var launch = cmi5.getLaunchData();
      normal = launch.launchMode === "Normal";
      returnUrl = launch.returnURL || null;
      status.textContent = normal ? "Connected." : launch.launchMode + " mode: your answers are not recorded.";
      return true;
    });
  }
  window.addEventListener("pagehide", function () { end(); });
"""

_CMI5_SCRIPT = (
    """
(function () {
  var done = document.getElementById("done");"""
    + _CMI5_START
    + """
  if (!cmi5) { done.disabled = true; }
  done.addEventListener("click", function () {
    done.disabled = true;
    ready.then(function (connected) {
      if (!connected) { return; }
      if (normal) { later(function () { return cmi5.complete(); }); }
      return end();
    });
  });
})();
"""
)

_CMI5_QUIZ = (
    """
(function () {
  var leave = document.getElementById("leave");"""
    + _CMI5_START
    + """
  Quiz.start({
    answered: function (item, response, correct) {
      ready.then(function (connected) {
        if (!connected || !normal) { return; }
        var text = item.kind === "free_text" ? response : response.join("[,]");
        return later(function () {
          return cmi5.interaction(Quiz.data.testId, item.id, text, item.definition, correct, undefined, item.objective);
        });
      });
    },
    finish: function (score) {
      leave.hidden = false;
      ready.then(function (connected) {
        if (!connected || !normal) { return; }
        var scaled = Math.round(score.scaled * 10000) / 10000;
        var result = {scaled: scaled, raw: score.raw, min: score.min, max: score.max};
        // moveOn: passed/failed against the LMS's masteryScore (when it gives one), then completed.
        // Not the library's moveOn(): it puts the score on "completed" too, which cmi5 9.5.1 forbids.
        var mastery = cmi5.getLaunchData().masteryScore;
        if (typeof mastery === "number") {
          later(function () { return scaled >= mastery ? cmi5.pass(result) : cmi5.fail(result); });
        }
        return later(function () { return cmi5.complete(); });
      });
    }
  });
  leave.addEventListener("click", function () {
    leave.disabled = true;
    ready.then(function () { return end(); });
  });
})();
"""
)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _csp(scripts: list[str], standard: str, library: bool) -> str:
    """Build a policy that runs nothing but this page's own script and style (and the cmi5 library)."""
    script_src = " ".join(f"'{_sha256(s)}'" for s in scripts)
    if library:
        script_src += " 'self'"
    # cmi5 talks to the LMS's endpoint and fetch URL, whose origin is only known at launch
    connect = "*" if standard == "cmi5" else "'none'"
    return (
        f"default-src 'none'; script-src {script_src}; style-src '{_sha256(_STYLE)}'; "
        f"connect-src {connect}; base-uri 'none'; form-action 'none'"
    )


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _item_data(
    item: RetrievalItem, index: int, language: str, objectives: Mapping[str, tuple[str, str]] | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "concept": item.concept,
        "kind": item.type,
        "stem": item.stem,
        "feedback": item.feedback,
        "fieldset": f"item{index + 1}",
        "check": f"item{index + 1}-check",
        "feedbackField": f"item{index + 1}-feedback",
        "scorm": scorm_interaction(item),
        "definition": item_definition(item, language),
    }
    if objectives is not None and item.concept in objectives:
        iri, name = objectives[item.concept]
        data["objective"] = objective_activity(iri, name, language)
    if item.type == "free_text":
        data["field"] = f"item{index + 1}-answer"
        data["first"] = data["field"]
        data["accepted"] = list(item.accepted)
    else:
        data["choices"] = [
            {
                "id": choice_id(i),
                "field": f"item{index + 1}-{choice_id(i)}",
                "correct": choice.correct,
                "feedback": choice.feedback,
            }
            for i, choice in enumerate(item.choices)
        ]
        data["first"] = data["choices"][0]["field"]
    return data


def _item_html(item: RetrievalItem, index: int, total: int) -> list[str]:
    esc = html.escape
    number = index + 1
    parts = [
        f'<fieldset id="item{number}" class="item">',
        f"<legend>Question {number} of {total}: {esc(item.stem, quote=True)}</legend>",
    ]
    if item.type == "free_text":
        parts += [
            f'<p><label for="item{number}-answer">Your answer</label></p>',
            f'<p><input type="text" id="item{number}-answer" name="item{number}" maxlength="250" '
            'autocomplete="off" spellcheck="false"></p>',
        ]
    else:
        kind = "radio" if item.type == "single_choice" else "checkbox"
        if item.type == "multiple_choice":
            parts.append("<p>Select every answer that applies.</p>")
        for i, choice in enumerate(item.choices):
            field = f"item{number}-{choice_id(i)}"
            parts.append(
                f'<div class="choice"><input type="{kind}" id="{field}" name="item{number}" '
                f'value="{choice_id(i)}"> <label for="{field}">{esc(choice.text, quote=True)}</label></div>'
            )
    parts += [
        f'<p><button type="button" id="item{number}-check">Check answer</button></p>',
        f'<p id="item{number}-feedback" class="feedback" role="status" aria-live="polite"></p>',
        "</fieldset>",
    ]
    return parts


def cmi5_library() -> bytes:
    """Return the vendored cmi5 client (``@xapi/cmi5`` UMD bundle) that cmi5 pages load."""
    return resources.files("workbench.export").joinpath("vendor/xapi-cmi5/cmi5.umd.js").read_bytes()


def vendored_files() -> list[tuple[str, bytes]]:
    """Package members of the vendored cmi5 client: the bundle, its licence and NOTICE."""
    folder = resources.files("workbench.export").joinpath("vendor/xapi-cmi5")
    base = CMI5_LIBRARY.rsplit("/", 1)[0]
    return [
        (CMI5_LIBRARY, cmi5_library()),
        (f"{base}/LICENSE.md", folder.joinpath("LICENSE.md").read_bytes()),
        (f"{base}/NOTICE", folder.joinpath("NOTICE").read_bytes()),
    ]


def launch_page(
    activity: Activity,
    language: str,
    standard: str,
    *,
    objectives: Mapping[str, tuple[str, str]] | None = None,
    library_href: str | None = None,
) -> bytes:
    """Return a UTF-8 HTML page for one activity; text is HTML-escaped.

    Parameters
    ----------
    activity : Activity
        The activity the page launches; with ``items`` the page is a quiz.
    language : str
        Language tag for ``<html lang>`` and the xAPI language maps.
    standard : {"cmi5", "scorm"}
        Runtime protocol the page speaks.
    objectives : mapping, optional
        cmi5 only: objective IRI and name per concept id (the ``answered`` statements' parent).
    library_href : str, optional
        cmi5 only: relative URL of the vendored cmi5 library from this page.

    Examples
    --------
    >>> from workbench.model import Activity
    >>> a = Activity.of_kind("job_aid", id="aid", title="Q&A <cheat sheet>", schedule="on_demand")
    >>> b"Q&amp;A &lt;cheat sheet&gt;" in launch_page(a, "en", "scorm")
    True
    """
    quiz = bool(activity.items)
    preview = {"preview": _PREVIEW}
    if standard == "cmi5":
        script = (_CMI5_QUIZ if quiz else _CMI5_SCRIPT) % preview
    else:
        script = (_SCORM_QUIZ if quiz else _SCORM_SCRIPT) % preview
    scripts = [_QUIZ_CORE, script] if quiz else [script]
    library = standard == "cmi5" and library_href is not None
    title = html.escape(activity.title, quote=True)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp(scripts, standard, library)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
    ]
    if activity.description:
        parts.append(f'<p class="description">{html.escape(activity.description, quote=True)}</p>')
    if activity.url and activity.url.lower().startswith(("https://", "http://")):
        href = html.escape(activity.url, quote=True)
        parts.append(f'<p><a href="{href}" target="_blank" rel="noopener">Open the activity</a></p>')
    parts.append(f"<p>About {activity.duration_min:g} minutes.</p>")
    if quiz:
        data = {
            "activity": activity.id,
            "testId": ITEM_TEST_ID,
            "mastery": activity.mastery_score,
            "items": [_item_data(item, i, language, objectives) for i, item in enumerate(activity.items)],
        }
        parts.append('<form id="quiz" novalidate>')
        for i, item in enumerate(activity.items):
            parts += _item_html(item, i, len(activity.items))
        parts += [
            "</form>",
            '<p id="score" role="status" aria-live="polite"></p>',
            '<p><button id="leave" type="button" hidden>Finish and leave</button></p>',
            f'<script type="application/json" id="quiz-data">{_json_for_script(data)}</script>',
        ]
    else:
        parts.append('<p><button id="done" type="button">Mark as done</button></p>')
    parts.append('<p id="status" role="status" aria-live="polite"></p>')
    parts.append("</main>")
    if library:
        parts.append(f'<script src="{html.escape(str(library_href), quote=True)}"></script>')
    parts += [f"<script>{s}</script>" for s in scripts]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")
