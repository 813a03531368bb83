"""``handouts serve``: a page for the front desk and an HTTP API for pharmacy systems.

An ASGI app (FastAPI) under uvicorn, in the optional ``serve`` extra. The front process
answers HTTP; handouts are made by renderer processes (``renderer``) through the same
``build.prepare`` -> ``build.render`` as the command line. One module per concern:

- ``settings``: what ``handouts serve`` was started with, and the refusal to listen
  beyond this machine without a token;
- ``renderer``: the renderer processes, one handout at a time each, caches kept warm;
- ``listing``: what the content library offers (medicines, languages in their own script);
- ``guards``: size and time limits on requests, a rate limit per client, the access log
  without patient data, security headers;
- ``protocol``: uvicorn's HTTP protocol with a deadline for a client that sends nothing;
- ``api``: ``/api/v1``, its JSON models (the OpenAPI document) and errors as JSON;
- ``page``: the form at ``/`` with its preview, CSRF-protected, working without JavaScript;
- ``plan_fields``: the form's patient fields -> the plan the API takes, and problems back to fields;
- ``app``: the app assembled; ``run``: uvicorn started.
"""
