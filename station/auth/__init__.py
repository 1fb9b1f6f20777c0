"""Who is at the station: users, secrets, sign-in, sessions (docs/auth.md; P11-U*, AUTH-*).

* :mod:`station.auth.login` — :class:`Authenticator`: badge + PIN or user name + password,
  lockout, delays, rate limit, stale-user-list confirmation;
* :mod:`station.auth.session` — :class:`Session`: timeouts, ends, what a signature needs;
* :mod:`station.auth.users` — first run, create, deactivate, roles, badges, secrets, unlock;
* :mod:`station.auth.review` — the access review (P11-U5);
* :mod:`station.auth.hashing`, :mod:`station.auth.pepper`, :mod:`station.auth.rules` — how
  secrets are kept and what they must be.
"""
