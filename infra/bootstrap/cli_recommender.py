"""`onestreet recommender train|evaluate|advise|import-baskets|import-open-data`.

The nightly beat runs the same services as Celery tasks; these commands are for first
imports, evaluations on public data and running a shop's advice right now.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from pathlib import Path

import click
from tqdm import tqdm

from infra.bootstrap.cli_support import require_database, settings
from infra.db import create_engine, create_session_factory
from infra.settings import Settings

DEFAULT_TAFENG = Path("..") / "shared" / "data" / "tafeng"


@click.group()
def recommender() -> None:
    """Train, evaluate and run the recommender and the marketing advice."""


@recommender.command("evaluate")
@click.option(
    "--tafeng",
    "tafeng_dir",
    type=click.Path(path_type=Path),
    default=None,
    help=f"Directory with tafeng_history.json and tafeng_future.json (e.g. {DEFAULT_TAFENG}).",
)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A basket CSV (the import-baskets format); each customer's last order is the truth.",
)
@click.option("--forecast", is_flag=True, help="Backtest the demand forecasts on the database.")
@click.option("--seeds", default=3, show_default=True, help="Random 20% user splits to average.")
@click.option("-k", "k", default=10, show_default=True, help="Basket size K of Recall@K/NDCG@K.")
def evaluate(
    tafeng_dir: Path | None, csv_file: Path | None, forecast: bool, seeds: int, k: int
) -> None:
    """Time-ordered backtests; prints Markdown tables.

    Without options, the Ta-Feng next-basket evaluation runs on ../shared/data/tafeng.
    """
    from recommender.imports.csv_format import HeaderError, histories_from_rows, parse_lines
    from recommender.nextbasket.data import holdout_last_basket, load_tafeng
    from recommender.nextbasket.evaluate import format_table, run_backtest

    if forecast:
        _evaluate_forecasts(settings())
        if tafeng_dir is None and csv_file is None:
            return
    if csv_file is not None:
        try:
            parsed = parse_lines(csv_file.read_text(encoding="utf-8").splitlines(keepends=True))
        except HeaderError as exc:
            raise click.ClickException(str(exc)) from None
        if parsed.errors:
            click.echo(f"Skipping {len(parsed.errors)} bad rows (see import-baskets).", err=True)
        histories = histories_from_rows(parsed.rows)
        vocabulary = {
            item: i
            for i, item in enumerate(sorted({x for h in histories.values() for b in h for x in b}))
        }
        numeric = {c: [[vocabulary[x] for x in b] for b in h] for c, h in histories.items()}
        dataset = holdout_last_basket(numeric)
        title = f"{csv_file.name}: {len(dataset.history)} customers with 2+ orders"
    else:
        directory = tafeng_dir or DEFAULT_TAFENG
        if not (directory / "tafeng_history.json").exists():
            raise click.ClickException(f"No tafeng_history.json in {directory}; pass --tafeng DIR.")
        dataset = load_tafeng(directory)
        title = f"Ta-Feng: {len(dataset.history)} customers"
    if len(dataset.history) < 10:
        raise click.ClickException("Too few customers with two or more orders to evaluate.")
    click.echo(f"{title}; {seeds} random splits, 20% test users, K={k}")
    results = run_backtest(
        dataset,
        seeds=range(seeds),
        k=k,
        progress=lambda s: iter(tqdm(s, desc="splits", unit="split")),
    )
    click.echo(format_table(results, k))
    for i, chosen in enumerate(results[-1].chosen):
        click.echo(f"split {i}: TIFU-KNN parameters chosen on validation users: {chosen}")


def _evaluate_forecasts(current: Settings) -> None:
    from recommender.forecast.evaluate import evaluate_all_shops, format_forecast_table

    require_database(current)
    rows = asyncio.run(_with_session(current, lambda s: evaluate_all_shops(s, tqdm)))
    click.echo(format_forecast_table(rows))


async def _with_session(current: Settings, work):  # type: ignore[no-untyped-def]
    engine = create_engine(current.database, for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


@recommender.command("import-baskets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--load-good-rows",
    is_flag=True,
    help="When some rows are bad, load the good ones anyway (default: load nothing).",
)
@click.option("--batch", default=None, help="Name of this import (default: generated).")
def import_baskets(file: Path, load_good_rows: bool, batch: str | None) -> None:
    """Load a basket CSV: customer_id,order_id,timestamp,item_id,quantity,price,shop.

    timestamp is ISO 8601 (no offset means Asia/Taipei); price is the unit price in TWD.
    Every bad row is reported with its line number and reason.
    """
    from recommender.imports.csv_format import HeaderError, ParsedFile, RowError, iter_parsed
    from recommender.imports.service import ImportService

    current = settings()
    require_database(current)
    parsed = ParsedFile(rows=[], errors=[])
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            for item in tqdm(iter_parsed(handle), desc="reading", unit="row"):
                (parsed.errors if isinstance(item, RowError) else parsed.rows).append(item)  # type: ignore[arg-type]
    except HeaderError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8 text ({exc.reason}).") from None
    for error in parsed.errors:
        click.echo(f"line {error.line}: {error.reason}", err=True)
    name = batch or f"{file.stem}-{secrets.token_hex(4)}"
    outcome = asyncio.run(
        _with_session(
            current,
            lambda s: ImportService(s).load(name, parsed, load_good_rows=load_good_rows),
        )
    )
    if outcome.errors and not load_good_rows:
        raise click.ClickException(
            f"{len(outcome.errors)} bad rows, {outcome.good_rows} good rows; nothing loaded. "
            "Fix the file, or pass --load-good-rows to load the good rows only."
        )
    click.echo(
        f"Loaded {outcome.loaded} rows as batch {outcome.batch}"
        + (f"; skipped {len(outcome.errors)} bad rows." if outcome.errors else ".")
    )


@recommender.command("import-open-data")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--load-good-rows",
    is_flag=True,
    help="When some rows are bad, load the good ones anyway (default: load nothing).",
)
def import_open_data(file: Path, load_good_rows: bool) -> None:
    """Load open data per county and day: date,county,metric,value (see
    recommender/imports/open_data.py). Each metric becomes a demand-forecast feature.
    """
    from recommender.imports.csv_format import HeaderError, RowError
    from recommender.imports.open_data import iter_parsed
    from recommender.imports.service import ImportService

    current = settings()
    require_database(current)
    rows, errors = [], []
    try:
        with file.open(encoding="utf-8", newline="") as handle:
            for item in iter_parsed(handle):
                (errors if isinstance(item, RowError) else rows).append(item)
    except HeaderError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8 text ({exc.reason}).") from None
    for error in errors:
        click.echo(f"line {error.line}: {error.reason}", err=True)
    name = f"{file.stem}-{secrets.token_hex(4)}"
    outcome = asyncio.run(
        _with_session(
            current,
            lambda s: ImportService(s).load_open_data(
                name, rows, errors, load_good_rows=load_good_rows
            ),
        )
    )
    if outcome.errors and not load_good_rows:
        raise click.ClickException(
            f"{len(outcome.errors)} bad rows, {outcome.good_rows} good rows; nothing loaded. "
            "Fix the file, or pass --load-good-rows to load the good rows only."
        )
    click.echo(
        f"Loaded {outcome.loaded} open-data values as batch {outcome.batch}"
        + (f"; skipped {len(outcome.errors)} bad rows." if outcome.errors else ".")
    )


def _calendar(current: Settings):  # type: ignore[no-untyped-def]
    from recommender.holidays import HolidayCalendar

    try:
        return HolidayCalendar.from_file(current.recommender.holidays_file or None)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Holidays file: {exc}") from None


@recommender.command("train")
def train() -> None:
    """Retrain the demand forecaster and every shop's "bought together" table now.

    A version that scores worse than the current one is stored but not used.
    """
    from infra.db import utcnow
    from recommender.training import train_all

    current = settings()
    require_database(current)
    calendar = _calendar(current)
    days = current.recommender.history_days

    def progress(shops):  # type: ignore[no-untyped-def]
        return iter(tqdm(shops, desc="shops", unit="shop"))

    outcome = asyncio.run(
        _with_session(current, lambda s: train_all(s, utcnow(), calendar, days, progress))
    )
    click.echo(
        f"Trained: {outcome['current']} versions now current, "
        f"{outcome['rejected']} kept out because they scored worse than the current one."
    )


@recommender.command("advise")
@click.option("--shop", "shop_ids", multiple=True, type=click.UUID, help="Only this shop.")
def advise(shop_ids: tuple[uuid.UUID, ...]) -> None:
    """Generate advice drafts for every shop (or --shop), for consultants to review."""
    from infra.db import utcnow
    from recommender.advice.service import AdviceService

    current = settings()
    require_database(current)
    calendar = _calendar(current)
    days = current.recommender.history_days
    wanted = list(shop_ids) or None
    with tqdm(total=1, desc="advice", unit="run") as bar:
        made = asyncio.run(
            _with_session(
                current, lambda s: AdviceService(s).generate(wanted, utcnow(), calendar, days)
            )
        )
        bar.update(1)
    click.echo(f"Drafted {sum(made.values())} advice items for {len(made)} shops.")
