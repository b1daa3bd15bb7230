"""The container-image picture: each package against the quotas, what it keeps, and the pinned digest."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lambda_prep.views.sims.common import interview_footer

FOOTER = [
    "Lambda runs container images (since Dec 2020) up to 10 GB from ECR in the same Region; a .zip is limited "
    "to 250 MB unzipped with its layers (50 MB zipped to upload directly, more through S3).",
    "Choose an image for big dependencies or container tooling; keep a .zip for layers, code signing and "
    "automatic runtime patching. An image is one architecture and you rebuild it to patch.",
    "SnapStart works on both: a .zip on the Java 11+, Python 3.12+ or .NET 8+ managed runtime, or an image "
    "(Lambda's base images for those runtimes handle it; other images run the snapshot hooks or carry the "
    "SnapStart label).",
    "Lambda pins the image digest at deploy time: pushing :latest again changes nothing until "
    "update-function-code. Existing web apps run unchanged with the Lambda Web Adapter, from a .zip or an image.",
]


def render(result, width: int = 80) -> list:
    data = result.to_json()
    p, r = data["params"], data["results"]
    out: list = []
    head = Text("container-image: ", style="bold")
    wants = [w for w, on in (("SnapStart", p["snapstart"]), ("code signing", p["code_signing"]),
                             (f"{p['layers']} layers", p["layers"])) if on]
    head.append(f"{p['code_mb']:,g} MB of code + {p['dependencies_mb']:,g} MB of dependencies ({p['runtime']}, "
                f"{p['architecture']}); needs: {', '.join(wants) if wants else 'nothing special'}.")
    out.append(head)
    table = Table(title="Each way to package it", title_justify="left")
    table.add_column("package")
    table.add_column("size")
    table.add_column("quota")
    table.add_column("verdict")
    for o in r["options"]:
        verdict = Text("fits" if o["qualifies"] else ("fits, loses " + ", ".join(o["loses"]) if o["fits"]
                                                      else "does not fit"),
                       style="green" if o["qualifies"] else ("yellow" if o["fits"] else "red"))
        if o["why"] != "fits":
            verdict.append(": " + o["why"], style="")
        table.add_row(o["name"], o["size"], o["limit"], verdict)
    out.append(table)
    pick = Text("Use: ", style="bold")
    pick.append(r["verdict"], style="bold green" if not r["verdict"].startswith("nothing") else "bold yellow")
    out.append(pick)
    if r.get("snapstart"):
        out.append(Text(r["snapstart"]))
    steps = Table(title="Deploying an image: what the function runs after each step", title_justify="left")
    steps.add_column("step")
    steps.add_column("runs", justify="center")
    for s in r["deployment"]:
        steps.add_row(s["step"] + (f"\n  ({s['note']})" if s.get("note") else ""), s["runs"])
    out.append(steps)
    out.append(Text("\n".join("Assumption: " + a for a in data["assumptions"]), style="dim"))
    out.append(interview_footer(FOOTER, explain_topic="containers"))
    return out
