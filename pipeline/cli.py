"""Command line: run, eval, render, schema. The only place that prints and maps errors to exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from pathlib import Path

from pipeline.config import describe, load_config
from pipeline.errors import ExitCode, PipelineError

EPILOG = (
    "Exit codes: 0 ok, 1 bad arguments/config, 2 unreadable input, 3 missing dependency, 4 stage failed, "
    "5 partial result, 6 not a document, 7 not Vietnamese, 15 other error, 130 interrupted."
)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--config", help="TOML file with settings that override configs/default.toml")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override one setting, e.g. --set ocr.psm=6 (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and show tracebacks")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn scanned Vietnamese administrative documents into JSON and CSV (offline).",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="process one document (PDF, image or OCR .txt)",
        epilog=f"{EPILOG}\n\nSettings (--set section.key=value, or a --config file), with their "
        f"defaults:\n\n{describe()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="OCR and structure one document; write document.json and CSVs to OUTDIR/<doc_id>/.",
    )
    run.add_argument(
        "file", type=Path, help="input: scanned or text PDF, PNG/JPEG/TIFF image, or OCR text (.txt)"
    )
    run.add_argument("-o", "--outdir", type=Path, help="output folder (default: the setting export.outdir, "
                                                      "'outputs')")
    run.add_argument(
        "--debug", action="store_true", help="also write the cleaned page images to <doc>/debug/"
    )
    _common(run)

    ev = sub.add_parser(
        "eval",
        help="score the pipeline on annotated samples",
        epilog=EPILOG,
        description="Run every input of each sample folder (truth.json + scans) and print "
        "CER, header, section, agency, duty and closing scores per input and on "
        "average. A sample folder with no scans (../shared/real-texts) is rendered "
        "at each --levels and --seeds. A folder of scans with NAME.truth.json beside "
        "each (../shared/real-scans) is scored as it is. Renders and each input's "
        "reading up to OCR are kept in .cache/, so a second run takes seconds.",
    )
    ev.add_argument("samples", type=Path, nargs="?", default=Path("samples"),
                    help="folder of sample folders, or of scans with NAME.truth.json files")
    ev.add_argument("--only", default="", help="only inputs whose file name contains this text (e.g. noisy)")
    ev.add_argument(
        "--levels",
        nargs="+",
        default=["noisy"],
        choices=["clean", "noisy", "heavy", "heavy-gray"],
        help="levels to render truths without scans at (default noisy)",
    )
    ev.add_argument("--seeds", nargs="+", type=int, default=[1], help="seeds to render them with (default 1)")
    ev.add_argument("--held-out", nargs="+", default=[], metavar="SAMPLE",
                    help="samples kept out of tuning: their mean is printed apart")
    ev.add_argument("--no-cache", action="store_true", help="read every input afresh (OCR included)")
    ev.add_argument("--json", type=Path, help="also write the table as JSON to this file")
    _common(ev)

    render = sub.add_parser("render", help="render an annotated sample (truth.json) into a scanned PDF",
                            description="Lay the annotation out the Nghị định 30 way and add scan noise.")
    render.add_argument("truth", type=Path, help="truth.json of a sample")
    render.add_argument("-o", "--out", type=Path, required=True, help="PDF to write")
    render.add_argument("--level", default="clean", choices=["clean", "noisy", "heavy", "heavy-gray"],
                        help="noise level (default clean)")
    render.add_argument("--seed", type=int, default=0, help="random seed for the noise (default 0)")
    render.add_argument(
        "--vary-contents",
        action="store_true",
        help="draw the stamp's number and date and the pen notes from the seed instead of the annotation",
    )
    render.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")

    schema = sub.add_parser(
        "schema",
        help="write docs/document.schema.json from the models",
        description="Regenerate the JSON Schema of document.json (a test fails when it is stale).",
    )
    schema.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return {"run": _run, "eval": _eval, "render": _render, "schema": _schema}[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.ctrl_c
    except PipelineError as e:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except Exception as e:  # unknown failures keep their traceback
        traceback.print_exc()
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return ExitCode.other_error


def _run(args) -> int:
    from pipeline.export import output_folder
    from pipeline.runner import process_file

    overrides = list(args.set) + (["preprocess.debug=true"] if args.debug else [])
    cfg = load_config(args.config, overrides)
    if args.outdir is not None:
        cfg.export.outdir = str(args.outdir)
    started = time.perf_counter()
    doc = process_file(args.file, cfg)
    out = output_folder(doc, cfg)
    seconds = time.perf_counter() - started
    pages = doc.source.pages
    print(
        f"{doc.doc_id}: {doc.status}, {pages} page(s), {len(doc.sections)} sections, "
        f"{len(doc.agencies)} agencies, "
        f"{sum(len(a.duties) for a in doc.agencies)} duties, {len(doc.issues)} issues "
        f"in {seconds:.1f} s ({seconds / max(pages, 1):.1f} s/page)"
    )
    print(f"results: {out}/document.json and {out}/*.csv")
    return ExitCode.ok if doc.status == "ok" else ExitCode.partial


def _eval(args) -> int:
    import pandas as pd

    from pipeline import corpus
    from pipeline.evaluate import carries_marks, header_accuracy, registration_right, score

    cfg = load_config(args.config, args.set)
    cache = None if args.no_cache else corpus.CACHE
    rows = []
    for name, path, truth in corpus.annotated_inputs(args.samples, args.levels, args.seeds):
        if args.only and args.only not in path.name:
            continue
        started = time.perf_counter()
        try:
            doc = corpus.read(path, cfg, cache)
        except PipelineError as e:
            print(f"{name}/{path.name}: error: {e}", file=sys.stderr)
            continue
        rows.append({"sample": name, "input": path.name, **score(doc, truth).as_dict(),
                     "registration": registration_right(doc, truth) if carries_marks(path) else None,
                     "s/page": round((time.perf_counter() - started) / max(doc.source.pages, 1), 2),
                     "header_wrong": " ".join(header_accuracy(doc, truth)[1])})
    if not rows:
        print("no annotated inputs found", file=sys.stderr)
        return ExitCode.bad_args
    table = pd.DataFrame(rows)
    groups = {"MEAN": table}
    if args.held_out:
        held = table["sample"].isin(args.held_out)
        groups = {"MEAN tuned": table[~held], "MEAN held out": table[held], "MEAN": table}
    labels = ["sample", "input", "header_wrong"]
    means = [{"sample": label, "input": f"{len(part)} inputs", "header_wrong": "",
              **part.drop(columns=labels).astype(float).mean().round(4).to_dict()}
             for label, part in groups.items()]
    table = pd.concat([table, pd.DataFrame(means)], ignore_index=True)
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.to_string(index=False))
    if args.json:
        args.json.write_text(table.to_json(orient="records", force_ascii=False, indent=1), encoding="utf-8")
    return ExitCode.ok


def _render(args) -> int:
    from pipeline.synth import load_truth, render_pdf

    out = render_pdf(load_truth(args.truth), args.out, level=args.level, seed=args.seed,
                     vary_contents=args.vary_contents)
    print(f"wrote {out}")
    return ExitCode.ok


def _schema(args) -> int:
    from pipeline.export.schema import write_schema

    print(f"wrote {write_schema()}")
    return ExitCode.ok
