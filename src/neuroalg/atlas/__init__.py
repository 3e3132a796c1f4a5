"""The atlas: resumable sweeps over families of architectures, a results store, exports and a
static HTML report.

Command line (``neuroalg atlas --help``)::

    neuroalg atlas run "mlp d0=2 dL=1 depth<=5 width<=6 r=2"      # process pool (default)
    neuroalg atlas run REGION --backend serial | --backend dask [--scheduler tcp://host:8786]
    neuroalg atlas run "mlp d0=2 dL=1 depth=2..7 width<=8 r=2" --frontier [--verify]
    neuroalg atlas status | query [REGION] | export atlas.csv | report site/ | import FILES

Modules: :mod:`~neuroalg.atlas.labels` (canonical labels), :mod:`~neuroalg.atlas.region`
(the REGION grammar), :mod:`~neuroalg.atlas.store` (SQLite store),
:mod:`~neuroalg.atlas.observation` (what is stored, statuses), :mod:`~neuroalg.atlas.plan`
(seeds, cost and memory prediction), :mod:`~neuroalg.atlas.calibration` (predicted against
measured), :mod:`~neuroalg.atlas.tasks` (supervised child
processes with hard time and memory limits), :mod:`~neuroalg.atlas.backends` (serial, pool,
Dask), :mod:`~neuroalg.atlas.sweep`, :mod:`~neuroalg.atlas.frontier` (minimal filling
architectures), :mod:`~neuroalg.atlas.importer` (reference tables), :mod:`~neuroalg.atlas.query`,
:mod:`~neuroalg.atlas.export`, :mod:`~neuroalg.atlas.report`.

The package only documents: import from the modules (``from neuroalg.atlas.sweep import
sweep``, ``from neuroalg.atlas.store import Store``), so that importing one part (the command
line needs only the REGION grammar) does not load the engines.
"""
