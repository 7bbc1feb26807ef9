"""Rendering: papermill runs the parameterised notebooks in `notebooks/` into `reports/`, nbconvert turns
each executed notebook into HTML for two audiences (partners: no code; analysts: with code), and
`pipeline.deliver` writes the landing page `reports/index.html` and the documents."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import PROJ_ROOT
from pipeline.errors import PipelineError
from pipeline.store import Store

log = logging.getLogger(__name__)

NOTEBOOK_DIR = PROJ_ROOT / "notebooks"
TEMPLATE_DIR = PROJ_ROOT / "pipeline" / "resources" / "templates"
TEMPLATE = "rapport"  # nbconvert's lab template without third-party scripts
KERNEL_NAME = "survey-pipeline"
# The kernel's own log stays quiet below CRITICAL: when papermill shuts a kernel down, jupyter_client sends it
# an interrupt first, and a kernel that is still answering a message then logs "KeyboardInterrupt caught in
# kernel" at ERROR on a run that went well. Errors in a report's cells reach papermill as messages, not log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
AUDIENCES = ("partner", "analyst")  # one execution, two exports
ANALYST_TAG = (
    "analyst"  # a notebook cell with this tag is left out of the partners' export (settings, commands)
)


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: str
    title: str


REPORTS = (
    ReportSpec("oversikt", "oversikt.ipynb", "Hvem svarte: medlemsundersøkelsen og intervjuene"),
    ReportSpec("behov", "behov.ipynb", "Behov for kompetanse"),
    ReportSpec("temaer", "temaer.ipynb", "Hva lederne selv sier: emner"),
    ReportSpec("programplan", "programplan.ipynb", "Forslag til programplan"),
    ReportSpec("okonomi", "okonomi.ipynb", "Økonomi: avgift, balanse og risiko"),
)
# a report's title when its data is missing: it promises only what it shows
UNCONFIGURED_TITLES = {"okonomi": "Økonomi: betalingsvilje (kostnadene er ikke lagt inn ennå)"}


def title_of(spec: ReportSpec, store: Store) -> str:
    """The report's title for this run: without `[economics]`, the economics report is about the
    willingness to pay alone."""
    summary = store.path("economics_summary")
    if spec.name in UNCONFIGURED_TITLES and summary.exists():
        return (
            spec.title
            if store.read_json("economics_summary").get("configured")
            else UNCONFIGURED_TITLES[spec.name]
        )
    return spec.title


def notebook_parameters(store: Store) -> dict[str, Any]:
    """The parameters the pipeline passes to every report notebook (literals only). The two audiences come
    from the export, not from a parameter: one execution, exported with and without code."""
    return {"workdir": str(store.workdir.resolve())}


def kernel_name() -> str:
    """The project's kernel if installed (`make install`), else the running interpreter's 'python3'."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def execute_notebook(source: Path, target: Path, parameters: dict[str, Any], kernel: str) -> None:
    """Run one notebook with papermill into `target`, the kernel's own log quiet (`KERNEL_ARGUMENTS`)."""
    import papermill as pm

    pm.execute_notebook(
        str(source),
        str(target),
        parameters=parameters,
        kernel_name=kernel,
        progress_bar=False,
        log_output=False,
        extra_arguments=KERNEL_ARGUMENTS,
    )  # no `cwd`: papermill's os.chdir is process-wide and races between the two rendering threads; the
    # notebooks read the run from the absolute `workdir` parameter


def render_report(
    store: Store,
    spec: ReportSpec,
    notebook_dir: Path = NOTEBOOK_DIR,
    parameters: dict[str, Any] | None = None,
    kernel: str | None = None,
) -> list[Path]:
    """Execute one report notebook with papermill, once, and export it twice: for partners (no code, no
    prompts) and for analysts (with code). Returns the two HTML files."""
    import nbformat
    from nbconvert import HTMLExporter

    executed_dir = store.reports / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    executed = executed_dir / f"{spec.name}.ipynb"
    execute_notebook(
        notebook_dir / spec.notebook,
        executed,
        {**notebook_parameters(store), **(parameters or {})},
        kernel or kernel_name(),
    )
    node = stable_notebook(nbformat.read(executed, as_version=4), str(store.workdir.resolve()))
    nbformat.write(node, executed)
    written = []
    for audience in AUDIENCES:
        exporter = HTMLExporter(
            template_name=TEMPLATE,
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            language_code="nb",
            anchor_link_text="",
        )
        shown = node
        if audience == "partner":
            exporter.exclude_input = exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
            shown = nbformat.from_dict(node)  # a copy without the analysts' own cells
            shown.cells = [c for c in shown.cells if ANALYST_TAG not in c.metadata.get("tags", [])]
        body, _ = exporter.from_notebook_node(shown, resources={"metadata": {"name": title_of(spec, store)}})
        target = store.reports / f"{spec.name}{'' if audience == 'partner' else '_analytiker'}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        log.info("report written: %s", target)
        if audience == "partner":  # printed here, while the other kernel still renders its report
            from pipeline.deliver.pdf import write_pdfs

            written += write_pdfs([target], store.reports / "pdf", quiet=True)
    return written


MEMORY_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def stable_notebook(node: Any, workdir: str) -> Any:
    """An executed notebook without what differs between two runs of the same inputs: papermill's times
    and paths, the kernel's execution times, random cell ids and memory addresses in object reprs. The
    work dir in the parameters cell becomes '../..', where the run is seen from reports/notebooks/."""
    node.metadata.pop("papermill", None)
    for i, cell in enumerate(node.cells):
        cell.id = f"cell-{i:02d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(repr(workdir), repr("../..")).replace(f'"{workdir}"', '"../.."')
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = MEMORY_ADDRESS.sub("", data["text/plain"])
    return node


def render_reports(
    store: Store,
    notebook_dir: Path = NOTEBOOK_DIR,
    names: tuple[str, ...] = (),
    parameters: dict[str, Any] | None = None,
) -> list[Path]:
    """Every report (or those named), two kernels at a time, then the deliverables (landing page, board
    paper, workbook, PDFs)."""
    from concurrent.futures import ThreadPoolExecutor

    logging.getLogger("papermill").setLevel(max(logging.WARNING, log.getEffectiveLevel()))
    specs = [s for s in REPORTS if not names or s.name in names]
    unknown = set(names) - {s.name for s in REPORTS}
    if unknown:
        raise PipelineError(
            f"unknown report {sorted(unknown)}; reports: {', '.join(s.name for s in REPORTS)}"
        )
    kernel = kernel_name()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda spec: render_report(store, spec, notebook_dir, parameters, kernel), specs)
        )
    written = [path for paths in results for path in paths]
    from pipeline.deliver import write_deliverables  # after the pages: the PDFs print them

    pdfs = [p for p in written if p.suffix == ".pdf"]
    titles = [(s.name, title_of(s, store)) for s in REPORTS]
    written += write_deliverables(store, titles, pdfs if pdfs else None)
    return written
