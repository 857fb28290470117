"""Pairwise user study on real composites: build a balanced schedule of method pairs, collect votes in a local web
app, and turn them into Bradley–Terry scores.

- :mod:`harmbench.study.schedule`: the items (pairs, repeats, catch trials) and each rater's session (quota,
  sides, order).
- :mod:`harmbench.study.db`: the SQLite file that holds the study (images, schedule, raters, votes).
- :mod:`harmbench.study.create`: harmonize the composites with each method (or take saved run outputs).
- :mod:`harmbench.study.server`: the FastAPI voting app (``harmbench study serve``).
- :mod:`harmbench.study.scoring`: Bradley–Terry fit with ``choix``, bootstrap intervals, rater screening.
- :mod:`harmbench.study.plot`: the results figure (scores with intervals, win-rate matrix).
- :mod:`harmbench.study.simulate`: synthetic raters, for tests and for planning a study's size.
"""
