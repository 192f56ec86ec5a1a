"""The ``citegraph`` command: ingest, serve, stats, export, viz.

Errors print one line naming the file and place and exit non-zero; ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from citegraph.errors import CitegraphError
from citegraph.settings import Settings
from citegraph.stores.base import GraphStore

EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="citegraph", description=__doc__)
    parser.add_argument("--store", type=Path, default=None,
                        help="embedded store file (default: $CITEGRAPH_STORE or "
                             "~/.local/share/citegraph/graph.json); ignored with NEO4J_URI")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="load papers, BibTeX and legal texts")
    ingest.add_argument("paths", nargs="*", type=Path, help="files or directories")
    ingest.add_argument("--as", dest="kind", choices=["paper", "bibtex", "legal"],
                        help="treat every file as this kind")
    ingest.add_argument("--bib", type=Path, help="BibTeX file with the papers' references")
    ingest.add_argument("--replace", action="store_true",
                        help="remove what an earlier ingest of each document added first")
    ingest.add_argument("--strict", action="store_true",
                        help="exit non-zero on any failed file or skipped entry")
    ingest.add_argument("--corpus", action="store_true",
                        help="also ingest the configured corpus (CITEGRAPH_CORPUS)")
    ingest.add_argument("--no-progress", action="store_true")

    serve = commands.add_parser("serve", help="serve the HTTP API and the explorer")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=None)

    commands.add_parser("stats", help="node and relationship counts")

    export = commands.add_parser("export", help="export the whole graph")
    export.add_argument("--format", choices=["json", "graphml", "gexf"], default="json")
    export.add_argument("-o", "--output", type=Path, default=None)

    viz = commands.add_parser("viz", help="write a self-contained HTML view of a node")
    viz.add_argument("node_id")
    viz.add_argument("--depth", type=int, default=1)
    viz.add_argument("-o", "--output", type=Path, required=True)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if args.store is not None:
        settings = settings.model_copy(update={"store": args.store})
    return settings


def _open(settings: Settings) -> GraphStore:
    from citegraph.stores.factory import open_store

    return open_store(settings)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.base import DocumentKind
    from ingest.pipeline import FileReport, ingest_paths

    paths: list[Any] = list(args.paths)
    if args.corpus:
        if settings.corpus is not None and settings.corpus.is_dir():
            paths.append(settings.corpus)
        else:
            print("no corpus folder found (CITEGRAPH_CORPUS); loading the catalog only",
                  file=sys.stderr)
    elif not paths:
        print("citegraph ingest: error: nothing to ingest (name files or folders, or --corpus)",
              file=sys.stderr)
        return EXIT_USAGE
    kind = DocumentKind(args.kind) if args.kind else None
    progress = _progress(len(paths), enabled=not args.no_progress)

    def on_file(report: FileReport) -> None:
        progress.update(1)
        _print_file(report)

    with _open(settings) as store:
        report = ingest_paths(store, paths, settings=settings, kind=kind, bib=args.bib,
                              replace=args.replace, on_file=on_file)
    progress.close()
    print(f"loaded {report.loaded} file(s), failed {report.failed}, "
          f"skipped {report.skipped_entries} entr(y/ies)"
          + (f"; catalog {report.catalog['nodes']} nodes" if report.catalog else ""))
    if report.failed and (args.strict or report.loaded == 0):
        return EXIT_ERROR
    if args.paths and report.loaded == 0:
        return EXIT_ERROR
    if args.strict and report.skipped_entries:
        return EXIT_ERROR
    return 0


def _print_file(report: Any) -> None:
    if report.status == "failed":
        print(f"error: {report.error}", file=sys.stderr)
        return
    print(f"{report.file}: {report.kind} ({report.decision}) -> {report.nodes} nodes, "
          f"{report.relationships} relationships")
    for problem in report.problems:
        print(f"  {'skipped' if problem.skipped else 'warning'}: {problem}", file=sys.stderr)


def _progress(total: int, *, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="path", file=sys.stderr,
                disable=not enabled or not sys.stderr.isatty())


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    # Workers are separate processes: they read the store location from the environment.
    os.environ["CITEGRAPH_STORE"] = str(settings.store)
    # api/server.py bounds the time for a request's headers (uvicorn has no such deadline);
    # connections and tasks beyond max_connections get 503; headers over 16 KiB get 400.
    uvicorn.run("api.app:create_app", factory=True,
                host=args.host or settings.host, port=args.port or settings.port,
                workers=args.workers or settings.workers,
                http="api.server:DeadlineH11Protocol", timeout_keep_alive=settings.keep_alive_s,
                limit_concurrency=settings.max_connections,
                h11_max_incomplete_event_size=16 * 1024, timeout_graceful_shutdown=10,
                server_header=False)
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with _open(settings) as store:
        counts = store.counts()
    print(f"nodes: {counts.total_nodes}")
    for name, n in counts.nodes.items():
        print(f"  {name}: {n}")
    print(f"relationships: {counts.total_relationships}")
    for name, n in counts.relationships.items():
        print(f"  {name}: {n}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from citegraph import export

    with _open(settings) as store:
        if args.format == "json":
            data = export.export_json(store)
            _write_bytes(args.output, data)
        else:
            writer = export.export_graphml if args.format == "graphml" else export.export_gexf
            if args.output is None:
                writer(store, sys.stdout.buffer)
            else:
                with open(args.output, "wb") as fh:
                    writer(store, fh)
    return 0


def _write_bytes(output: Path | None, data: bytes) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def cmd_viz(args: argparse.Namespace, settings: Settings) -> int:
    from citegraph.viz import render_html
    from citegraph.vizqueries import ego_view

    with _open(settings) as store:
        view = ego_view(store, args.node_id, args.depth)
    args.output.write_text(render_html(view.subgraph, title=view.title,
                                       highlight=view.highlight), encoding="utf-8")
    print(f"wrote {args.output} ({len(view.subgraph.nodes)} nodes, "
          f"{len(view.subgraph.relationships)} edges)")
    return 0


COMMANDS = {"ingest": cmd_ingest, "serve": cmd_serve, "stats": cmd_stats,
            "export": cmd_export, "viz": cmd_viz}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        return COMMANDS[args.command](args, settings)
    except CitegraphError as exc:
        if args.debug:
            raise
        print(f"citegraph: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of our output went away (``citegraph stats | head -1``): not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"citegraph: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
