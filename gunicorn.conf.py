"""gunicorn's settings for An Sinh, read by every gunicorn the project starts (``-c gunicorn.conf.py``; gunicorn
also finds this file by itself when started from the repository).

The access log leaves out the query string and the Referer: officers type CCCD and phone numbers into searches,
which put them in the URL's query, and the next page's Referer repeats that URL. The log keeps what an operator
needs to follow a request: who connected, when, method, path, status, size, duration and browser.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
