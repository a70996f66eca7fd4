"""The board's workplace in the browser (``fundgov serve``): the same library functions as
the command line, behind accounts with roles, each tied to the funds it serves.

* ``accounts``: local accounts (argon2 password hashes, throttling) and the activity log;
* ``auth``: who is asking (an ``Authenticator``: local accounts, or a single sign-on),
  signed session cookies and CSRF tokens;
* ``access``: the one place that decides which funds, cases and actions an account may see;
* ``form``: the application form, generated from the proposal model, whose field names are
  the loader's field paths (so each placed error lands at its field);
* ``chart``: the fund ledger's chart as server-rendered SVG;
* ``pages``: the routes; ``app``: the ASGI application.
"""
