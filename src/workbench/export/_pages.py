"""Small, self-contained HTML launch pages for activities that have no content URL yet.

A page shows the activity's title, description and (when known) a link to the real asset,
and speaks just enough of the runtime protocol to record completion: cmi5 (fetch the token,
read ``LMS.LaunchData``, send initialized / completed / terminated) or SCORM 2004 (find
``API_1484_11``, Initialize, set completion, Terminate). No external files, fonts or scripts.
"""

from __future__ import annotations

import html

from workbench.model import Activity

__all__ = ["launch_page"]

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "button{font-size:1rem;padding:.5rem 1rem}#status{color:#555}"
)

_CMI5_SCRIPT = """
(function () {
  var q = new URLSearchParams(window.location.search);
  var status = document.getElementById("status"), done = document.getElementById("done");
  var endpoint = q.get("endpoint"), fetchUrl = q.get("fetch"), actor = q.get("actor"),
      registration = q.get("registration"), activityId = q.get("activityId");
  if (!endpoint || !fetchUrl || !actor || !registration || !activityId) {
    status.textContent = "Preview: open this page from your learning platform to record progress.";
    done.disabled = true;
    return;
  }
  var base = endpoint.replace(/\\/?$/, "/"), auth = null, context = null, started = Date.now();
  var headers = function () {
    return {"Authorization": auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"};
  };
  var uuid = function () {
    return ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, function (c) {
      return (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16);
    });
  };
  var send = function (verb, result) {
    var ctx = JSON.parse(JSON.stringify(context || {}));
    ctx.registration = registration;
    ctx.contextActivities = ctx.contextActivities || {};
    var category = ctx.contextActivities.category || [];
    category.push({"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"});
    if (result && ("completion" in result || "success" in result)) {
      category.push({"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"});
    }
    ctx.contextActivities.category = category;
    var statement = {
      "id": uuid(), "actor": JSON.parse(actor), "timestamp": new Date().toISOString(),
      "verb": {"id": "http://adlnet.gov/expapi/verbs/" + verb, "display": {"en-US": verb}},
      "object": {"id": activityId, "objectType": "Activity"}, "context": ctx
    };
    if (result) { statement.result = result; }
    return fetch(base + "statements", {method: "POST", headers: headers(), body: JSON.stringify(statement)});
  };
  var duration = function () { return "PT" + Math.round((Date.now() - started) / 1000) + "S"; };
  fetch(fetchUrl, {method: "POST"}).then(function (r) { return r.json(); }).then(function (token) {
    auth = "Basic " + token["auth-token"];
    var params = new URLSearchParams({stateId: "LMS.LaunchData", activityId: activityId,
                                      agent: actor, registration: registration});
    return fetch(base + "activities/state?" + params, {headers: headers()});
  }).then(function (r) { return r.json(); }).then(function (launchData) {
    context = launchData.contextTemplate;
    return send("initialized");
  }).then(function () {
    status.textContent = "Connected.";
  }).catch(function () { status.textContent = "Could not reach the learning platform."; });
  done.addEventListener("click", function () {
    done.disabled = true;
    send("completed", {"completion": true, "duration": duration()}).then(function () {
      return send("terminated", {"duration": duration()});
    }).then(function () { status.textContent = "Recorded. You can close this window."; });
  });
})();
"""

_SCORM_SCRIPT = """
(function () {
  var status = document.getElementById("status"), done = document.getElementById("done");
  var find = function (win) {
    for (var hops = 0; win && hops < 20; hops++) {
      if (win.API_1484_11) { return win.API_1484_11; }
      if (win.parent && win.parent !== win) { win = win.parent; } else { win = win.opener; }
    }
    return null;
  };
  var api = find(window), finished = false;
  if (!api) {
    status.textContent = "Preview: open this page from your learning platform to record progress.";
    done.disabled = true;
    return;
  }
  api.Initialize("");
  api.SetValue("cmi.completion_status", "incomplete");
  api.Commit("");
  var finish = function () {
    if (!finished) { finished = true; api.Terminate(""); }
  };
  done.addEventListener("click", function () {
    done.disabled = true;
    api.SetValue("cmi.completion_status", "completed");
    api.Commit("");
    finish();
    status.textContent = "Recorded. You can close this window.";
  });
  window.addEventListener("pagehide", finish);
})();
"""


def launch_page(activity: Activity, language: str, standard: str) -> bytes:
    """Return a UTF-8 HTML page for one activity; text is HTML-escaped.

    Parameters
    ----------
    activity : Activity
        The activity the page launches.
    language : str
        Language tag for ``<html lang>``.
    standard : {"cmi5", "scorm"}
        Runtime protocol the page speaks.

    Examples
    --------
    >>> from workbench.model import Activity
    >>> a = Activity.of_kind("job_aid", id="aid", title="Q&A <cheat sheet>", schedule="on_demand")
    >>> b"Q&amp;A &lt;cheat sheet&gt;" in launch_page(a, "en", "cmi5")
    True
    """
    script = _CMI5_SCRIPT if standard == "cmi5" else _SCORM_SCRIPT
    title = html.escape(activity.title, quote=True)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    if activity.description:
        parts.append(f'<p class="description">{html.escape(activity.description, quote=True)}</p>')
    if activity.url and activity.url.lower().startswith(("https://", "http://")):
        href = html.escape(activity.url, quote=True)
        parts.append(f'<p><a href="{href}" target="_blank" rel="noopener">Open the activity</a></p>')
    parts += [
        f"<p>About {activity.duration_min:g} minutes.</p>",
        '<p><button id="done" type="button">Mark as done</button></p>',
        '<p id="status" role="status"></p>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts).encode("utf-8")
