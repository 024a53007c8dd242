"""gunicorn's settings for production: `gunicorn -c config/gunicorn.py config.wsgi` (Dockerfile).

Options given on the command line win over these (a test binds its own port with `--bind`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# The access log goes to stdout, the error log to stderr, as docker logs expects. Searches are GET
# forms that put residents' names in the URL: this logger drops every query string from both logs
# (the request line, the referrer), keeping the path (kirklees/logfilters.py).
accesslog = "-"
errorlog = "-"
logger_class = "kirklees.logfilters.RedactingGunicornLogger"
