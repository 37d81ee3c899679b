"""The web edition: a static multilingual site from the same resolved content as print.

:func:`pubkit.web.site.render_site` turns :class:`pubkit.content.ResolvedEdition` objects into
the site's files (Jinja2 templates in ``templates/``, overridable from a project's
``templates/web/``); :mod:`pubkit.commands.web` writes them.
"""
