"""Pairwise user study on real composites: build a balanced schedule of method pairs, collect votes in a local web
app, and turn them into Bradley–Terry scores.

- :mod:`harmbench.study.schedule`: which pairs are shown, with what sides, in which order for each rater.
- :mod:`harmbench.study.db`: the SQLite file that holds the study (images, schedule, raters, votes).
- :mod:`harmbench.study.create`: harmonize the composites with each method (or take saved run outputs).
- :mod:`harmbench.study.server`: the FastAPI voting app (``harmbench study serve``).
- :mod:`harmbench.study.scoring`: Bradley–Terry fit with ``choix``, bootstrap intervals, consistency.
- :mod:`harmbench.study.simulate`: synthetic raters, for tests and for planning a study's size.
"""
